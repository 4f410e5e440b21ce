import { readFile } from 'node:fs/promises';
import { LineCounter, parseDocument, isNode } from 'yaml';
import type { z } from 'zod';
import type { ComponentRegistry } from '../registry/component-registry.js';
import { StemError } from '../errors.js';
import { ConfigError, type ConfigProblem } from './config-error.js';
import { buildExperimentSchema, type ExperimentConfig } from './experiment-schema.js';
import { missingPaths } from './check-paths.js';
import { applyOverrides } from './overrides.js';
import { InterpolationError, interpolate } from './interpolate.js';

export interface LoadConfigOptions {
  /** `a.b=c` overrides applied after reading, before validation. */
  overrides?: readonly string[];
  /** Also check that the model, tokenizer and dataset paths the config names exist. */
  checkPaths?: boolean;
}

/** Reads a YAML or JSON experiment config (JSON is YAML), applies overrides, validates. */
export async function loadExperimentConfig(
  file: string,
  registry: ComponentRegistry,
  options: LoadConfigOptions = {},
): Promise<ExperimentConfig> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    throw new StemError(
      `cannot read config ${file}: ${(error as Error).message}`,
      'check the path given to -c/--config',
    );
  }
  return parseExperimentConfig(text, file, registry, options);
}

export function parseExperimentConfig(
  text: string,
  file: string,
  registry: ComponentRegistry,
  options: LoadConfigOptions = {},
): ExperimentConfig {
  const lineCounter = new LineCounter();
  const document = parseDocument(text, { lineCounter, prettyErrors: true });
  if (document.errors.length > 0) {
    throw new ConfigError(
      file,
      document.errors.map((error) => ({
        path: '',
        message: `syntax error: ${error.message.split('\n')[0]}`,
        line: error.linePos?.[0]?.line,
      })),
    );
  }
  let raw: unknown;
  try {
    raw = document.toJS();
  } catch (error) {
    // Alias problems (an alias before its anchor, alias bombs) surface only here.
    const message = (error as Error).message;
    const alias = /: (\S+)$/.exec(message)?.[1];
    const index = alias ? text.split('\n').findIndex((l) => l.includes(`*${alias}`)) : -1;
    throw new ConfigError(file, [
      { path: '', message: `YAML: ${message}`, ...(index >= 0 ? { line: index + 1 } : {}) },
    ]);
  }
  if (!raw || typeof raw !== 'object' || Array.isArray(raw)) {
    throw new ConfigError(file, [
      { path: '', message: 'expected a mapping (object) at the top level' },
    ]);
  }
  const withOverrides = applyOverrides(raw as Record<string, unknown>, options.overrides ?? []);
  const lineOf = (path: PropertyKey[]): number | undefined => {
    // Walk up until a node exists in the file (an absent field points at its parent).
    for (let depth = path.length; depth >= 0; depth--) {
      const node = document.getIn(path.slice(0, depth) as unknown[], true);
      if (isNode(node) && node.range) return lineCounter.linePos(node.range[0]).line;
    }
    return undefined;
  };
  let resolved: Record<string, unknown>;
  try {
    resolved = interpolate(withOverrides);
  } catch (error) {
    if (!(error instanceof InterpolationError)) throw error;
    const path = error.field ? error.field.split('.') : [];
    throw new ConfigError(file, [
      { path: error.field, message: error.problem, line: lineOf(path) },
    ]);
  }
  const result = buildExperimentSchema(registry).safeParse(resolved);
  if (!result.success) {
    throw new ConfigError(file, describeIssues(result.error.issues, lineOf));
  }
  if (options.checkPaths) {
    const problems = missingPaths(result.data as Record<string, unknown>, lineOf);
    if (problems.length > 0)
      throw new ConfigError(
        file,
        problems,
        'fix the paths above (relative paths start at the directory stem runs in), or fetch the missing model, tokenizer or data',
      );
  }
  return result.data;
}

/** Flattens zod issues (including those nested in unions) into path + message pairs. */
export function describeIssues(
  issues: readonly z.core.$ZodIssue[],
  lineOf: (path: PropertyKey[]) => number | undefined = () => undefined,
  prefix: PropertyKey[] = [],
): ConfigProblem[] {
  const problems: ConfigProblem[] = [];
  for (const issue of issues) {
    const path = [...prefix, ...issue.path];
    if (
      issue.code === 'invalid_union' &&
      issue.errors.length > 0 &&
      !('discriminator' in issue && issue.discriminator)
    ) {
      // Report the branch that got furthest rather than every alternative.
      const best = [...issue.errors].sort((a, b) => depthOf(b) - depthOf(a))[0] ?? [];
      problems.push(...describeIssues(best, lineOf, path));
      continue;
    }
    const line = lineOf(path);
    problems.push({
      path: path.map(String).join('.'),
      message: issue.message,
      ...(line ? { line } : {}),
    });
  }
  return problems;
}

function depthOf(issues: readonly z.core.$ZodIssue[]): number {
  return Math.max(0, ...issues.map((issue) => issue.path.length));
}
