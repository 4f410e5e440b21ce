import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { ConfigError, parseExperimentConfig, type ComponentRegistry } from '@stem/core';
import { runConfigFile, runConfigYaml, runExperimentConfig } from './run-config.js';
import { errorInStudyConfig } from './run-config-origin.js';
import { dataNeeds, type DataNeeds } from './study-data.js';
import { probeFinished, runFinished } from './study-state.js';
import type { ResolvedStudy } from './study-setup.js';
import { estimatedSteps } from './estimated-steps.js';
import type { StudyLockOwner } from './study-lock.js';

export type PlannedState = 'finished' | 'interrupted' | 'pending';

export interface StudyPlan {
  name: string;
  directory: string;
  tasks: string[];
  seeds: number[];
  settings: string[];
  runs: Array<{
    id: string;
    kind: 'train' | 'prune';
    setting: string;
    tasks: string[];
    seed: number;
    directory: string;
    state: PlannedState;
    estimatedSteps: number;
  }>;
  probes: Array<{ id: string; setting: string; task: string; run?: string; state: PlannedState }>;
  overlapRuns: string[];
  /** Model, tokenizer and dataset paths that do not exist here (the plan still stands). */
  missing: string[];
  /** What the study will do before its first run (build ewt-5). */
  notes: string[];
  data: DataNeeds;
  /** The `stem study` process that holds the directory now, if one does. */
  running?: StudyLockOwner;
}

/**
 * The grid of a study without running anything: every run's generated experiment config is
 * validated against the installed plugins (an invalid one fails the plan), while paths that
 * do not exist on this machine (a model, a dataset) are listed under `missing` and do not.
 */
export function planStudy(study: ResolvedStudy, registry: ComponentRegistry): StudyPlan {
  const { config, grid, directory } = study;
  const missing = new Set<string>();
  const runs = grid.runs.map((run) => {
    const experiment = runExperimentConfig(config, run, directory);
    const yaml = runConfigYaml(experiment, run);
    const runFile = runConfigFile(directory, run);
    try {
      parseExperimentConfig(yaml, runFile, registry);
    } catch (error) {
      if (!(error instanceof ConfigError)) throw error;
      const source = { file: study.file, lineOf: study.lineOf ?? (() => undefined) };
      throw errorInStudyConfig(error, source, config, run, runFile);
    }
    try {
      parseExperimentConfig(yaml, runFile, registry, { checkPaths: true });
    } catch (error) {
      if (!(error instanceof ConfigError)) throw error;
      for (const problem of error.problems) missing.add(`${problem.path}: ${problem.message}`);
    }
    const runDirectory = join(directory, run.directory);
    const state: PlannedState = runFinished(directory, run)
      ? 'finished'
      : existsSync(join(runDirectory, 'manifest.json'))
        ? 'interrupted'
        : 'pending';
    return {
      id: run.id,
      kind: run.kind,
      setting: run.setting,
      tasks: run.tasks,
      seed: run.seed,
      directory: run.directory,
      state,
      estimatedSteps: estimatedSteps(experiment),
    };
  });
  const data = dataNeeds(config, grid.tasks);
  const notes: string[] = [];
  if (data.ewt5Tasks.length > 0 && !data.ewt5Built) {
    const what = `ewt-5 (tasks ${data.ewt5Tasks.join(', ')}): not built in ${data.ewt5Directory}`;
    if (data.ewt5Source) notes.push(`${what}; the study builds it first from ${data.ewt5Source}`);
    else
      missing.add(
        `${what}; run stem data build ewt-5 --source <PropBank release>, or list sources under data.ewt5.sources`,
      );
  }
  return {
    name: config.name,
    directory,
    tasks: grid.tasks,
    seeds: grid.seeds,
    settings: grid.settings,
    runs,
    probes: grid.probes.map((p) => ({
      id: p.id,
      setting: p.setting,
      task: p.task,
      ...(p.run ? { run: p.run } : {}),
      state: probeFinished(directory, p) ? 'finished' : 'pending',
    })),
    overlapRuns: grid.overlapRuns,
    missing: [...missing],
    notes,
    data,
  };
}

/** The plan as lines for a terminal. */
export function formatPlan(plan: StudyPlan): string[] {
  const lines = [
    `study ${plan.name} in ${plan.directory}`,
    `tasks ${plan.tasks.join(', ')}; seeds ${plan.seeds.join(', ')}; settings ${plan.settings.join(', ')}`,
    `${plan.runs.length} runs (${plan.runs.filter((r) => r.state === 'finished').length} finished), ${plan.probes.length} probes, then analyze overlap (${plan.overlapRuns.length} STL-DP runs) and report`,
    '',
    'runs:',
  ];
  if (plan.running)
    lines.splice(
      3,
      0,
      `running now: stem study pid ${plan.running.pid} on ${plan.running.hostname}, since ${plan.running.startedAt} ("interrupted" below includes its current run)`,
    );
  const width = Math.max(...plan.runs.map((r) => r.directory.length), 10);
  for (const run of plan.runs)
    lines.push(
      `  ${run.directory.padEnd(width)}  ${run.kind.padEnd(5)}  ${run.tasks.join('+').padEnd(20)}  ~${String(run.estimatedSteps).padStart(6)} steps  ${run.state}`,
    );
  if (plan.probes.length > 0) {
    lines.push('', 'probes:');
    for (const probe of plan.probes)
      lines.push(
        `  ${probe.task.padEnd(4)} ${(probe.run ?? 'static encoder').padEnd(width)}  ${probe.state}`,
      );
  }
  if (plan.notes.length > 0) lines.push('', ...plan.notes);
  if (plan.missing.length > 0) {
    lines.push('', 'missing here (the study cannot start until these exist):');
    for (const m of plan.missing) lines.push(`  ${m}`);
  }
  return lines;
}
