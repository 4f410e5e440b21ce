/**
 * The files a config names must exist before anything is built or created: the model
 * directory (`encoder.path`), the tokenizer directory (`encoder.architecture.tokenizer`) and
 * each task's dataset `path`. Relative paths resolve against the working directory, as the
 * components that open them do.
 */
import { accessSync, constants, statSync } from 'node:fs';
import { resolve } from 'node:path';
import type { ConfigProblem } from './config-error.js';

interface NamedPath {
  field: PropertyKey[];
  value: string;
  what: string;
}

function pathsOf(config: Record<string, unknown>): NamedPath[] {
  const named: NamedPath[] = [];
  const add = (field: PropertyKey[], value: unknown, what: string): void => {
    if (typeof value === 'string' && value !== '') named.push({ field, value, what });
  };
  const encoder = config.encoder as Record<string, unknown> | undefined;
  add(['encoder', 'path'], encoder?.path, 'model directory');
  const architecture = encoder?.architecture as Record<string, unknown> | undefined;
  if (architecture && typeof architecture === 'object')
    add(['encoder', 'architecture', 'tokenizer'], architecture.tokenizer, 'tokenizer directory');
  const tasks = (config.tasks ?? {}) as Record<string, { dataset?: Record<string, unknown> }>;
  for (const [name, task] of Object.entries(tasks))
    add(['tasks', name, 'dataset', 'path'], task?.dataset?.path, 'dataset path');
  return named;
}

/** Problems for every named path that is missing or unreadable; empty when all are there. */
export function missingPaths(
  config: Record<string, unknown>,
  lineOf: (path: PropertyKey[]) => number | undefined = () => undefined,
): ConfigProblem[] {
  const problems: ConfigProblem[] = [];
  for (const { field, value, what } of pathsOf(config)) {
    const absolute = resolve(value);
    let reason: string | undefined;
    try {
      statSync(absolute);
      accessSync(absolute, constants.R_OK);
    } catch (error) {
      reason =
        (error as NodeJS.ErrnoException).code === 'ENOENT' ? 'does not exist' : 'is not readable';
    }
    if (reason) {
      problems.push({
        path: field.join('.'),
        message: `${what} ${value} ${reason} (resolved to ${absolute} from ${process.cwd()})`,
        line: lineOf(field),
      });
    }
  }
  return problems;
}
