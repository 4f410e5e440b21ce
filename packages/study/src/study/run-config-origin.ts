/**
 * A generated run config (`runs/<id>/config.yaml`) is written by the study, not the user: an
 * error in it is told against the study config field it came from, at that field's line, with
 * the generated file and field after it.
 */
import { ConfigError, type ConfigProblem, type LineOf } from '@stem/core';
import { GATES_SECTION } from './run-config.js';
import type { StudyConfig } from './study-config.js';
import type { GridRun } from './study-grid.js';

/** The study config a run was generated from: its file and the lines of its fields. */
export interface StudySource {
  file: string;
  lineOf: LineOf;
}

const has = (section: unknown, key: string | undefined): boolean =>
  key !== undefined && !!section && typeof section === 'object' && key in section;

/**
 * The study config field a generated run config field came from (see `runExperimentConfig`),
 * or undefined for the fields the study sets itself (name, seed, output).
 */
export function studyFieldOf(
  study: StudyConfig,
  run: GridRun,
  field: readonly string[],
): string[] | undefined {
  const [section, key, ...rest] = field;
  const settingRoot = run.kind === 'prune' ? ['pruning', run.setting] : ['settings', run.setting];
  const setting = (study as unknown as Record<string, Record<string, unknown>>)[settingRoot[0]!]?.[
    run.setting
  ] as { trainer?: unknown; byTask?: Record<string, { trainer?: unknown }> } | undefined;
  switch (section) {
    case 'device':
    case 'encoder':
    case 'tasks':
      return [...field];
    case 'trainer': {
      if (key === undefined) return ['trainer'];
      const task = run.tasks.length === 1 ? run.tasks[0]! : undefined;
      if (task && has(setting?.byTask?.[task]?.trainer, key))
        return [...settingRoot, 'byTask', task, 'trainer', key, ...rest];
      if (has(setting?.trainer, key)) return [...settingRoot, 'trainer', key, ...rest];
      if (has(study.trainer, key)) return ['trainer', key, ...rest];
      // A pruning run's own defaults (encoder rate, epochs) belong to its setting.
      return run.kind === 'prune' ? settingRoot : ['trainer', key, ...rest];
    }
    case 'trainingComponents':
      return key === GATES_SECTION && rest.length > 0
        ? [...settingRoot, 'gates', ...rest]
        : settingRoot;
    default:
      return undefined;
  }
}

/** The error of a run's generated config, its problems moved to the study config's lines. */
export function errorInStudyConfig(
  error: ConfigError,
  source: StudySource,
  study: StudyConfig,
  run: GridRun,
  runFile: string,
): ConfigError {
  const problems = error.problems.map((problem): ConfigProblem => {
    const runField = problem.path ? problem.path.split('.') : [];
    const field = studyFieldOf(study, run, runField);
    const generated = `${runFile}${problem.line ? `:${problem.line}` : ''}: ${problem.path || '(root)'}`;
    const where = `run ${run.id}, generated ${generated}`;
    if (!field) {
      const { line: _generatedLine, ...rest } = problem;
      return { ...rest, message: `${problem.message} (${where})` };
    }
    const line = source.lineOf(problem.key ? [...field, problem.key] : field);
    return {
      path: field.join('.'),
      ...(problem.key ? { key: problem.key } : {}),
      message: `${problem.message} (${where})`,
      ...(line ? { line } : {}),
    };
  });
  return new ConfigError(source.file, problems, error.hint);
}
