import { existsSync } from 'node:fs';
import { readFile, realpath, stat } from 'node:fs/promises';
import { basename, join } from 'node:path';
import { StemError } from '@stem/core';

/** The directory `stem view` shows: a study (study.json) or one run (manifest.json). */
export interface ViewedDirectory {
  /** Its real path: every path the server serves must lie below it. */
  root: string;
  kind: 'study' | 'run';
  /** The study's or run's name (its folder when the file names none). */
  name: string;
}

const notViewable = (given: string, why: string) =>
  new StemError(
    `${given} ${why}`,
    'pass a study directory (with study.json, made by `stem study`) or a run directory (with manifest.json, made by `stem train` or `stem prune`)',
    'RUN_INVALID',
  );

/** Checks what `given` is; a folder that is neither a study nor a run is RUN_INVALID. */
export async function openViewedDirectory(given: string): Promise<ViewedDirectory> {
  let root: string;
  try {
    root = await realpath(given);
  } catch {
    throw notViewable(given, 'does not exist');
  }
  if (!(await stat(root)).isDirectory()) throw notViewable(given, 'is a file, not a directory');
  const kind = existsSync(join(root, 'study.json'))
    ? 'study'
    : existsSync(join(root, 'manifest.json'))
      ? 'run'
      : undefined;
  if (!kind)
    throw notViewable(
      given,
      'is neither a study directory (no study.json) nor a run directory (no manifest.json)',
    );
  const file = join(root, kind === 'study' ? 'study.json' : 'manifest.json');
  let name: unknown;
  try {
    name = (JSON.parse(await readFile(file, 'utf8')) as { name?: unknown }).name;
  } catch (error) {
    throw new StemError(
      `${file} is not readable JSON: ${(error as Error).message}`,
      'restore the file from a copy of the study or run',
      'JSON_INVALID',
    );
  }
  return { root, kind, name: typeof name === 'string' && name !== '' ? name : basename(root) };
}
