import { readdir, stat } from 'node:fs/promises';
import { join } from 'node:path';
import type { ConflictMeasurement } from '@stem/analyzer-conflict';
import { readJsonFile, RunDirectory, StemError } from '@stem/core';

const HINT =
  'pass a run directory whose meter wrote analyses/conflict/update-*.json, or a posthoc-<checkpoint>.json written by stem conflict';

/**
 * The measurements `stem conflict compare` averages: a run directory's in-training
 * measurements (`analyses/conflict/update-*.json`, oldest first) or one post-hoc file.
 */
export async function readConflictSource(source: string): Promise<ConflictMeasurement[]> {
  const info = await stat(source).catch(() => undefined);
  if (!info) throw new StemError(`${source} does not exist`, HINT, 'FILE_UNREADABLE');
  if (!info.isDirectory()) return [await readMeasurement(source)];
  const folder = new RunDirectory(source).analysis('conflict');
  const files = (await readdir(folder).catch(() => [] as string[]))
    .filter((name) => /^update-\d+\.json$/.test(name))
    .sort();
  if (files.length === 0)
    throw new StemError(
      `${folder} holds no in-training measurement (update-*.json)`,
      `train the run with a stem.training.gradient-conflict.v1 training component, or run stem conflict ${source} and compare its posthoc json`,
      'RUN_INVALID',
    );
  const measurements: ConflictMeasurement[] = [];
  for (const name of files) measurements.push(await readMeasurement(join(folder, name)));
  return measurements;
}

async function readMeasurement(file: string): Promise<ConflictMeasurement> {
  const value = await readJsonFile<Partial<ConflictMeasurement>>(file, HINT);
  const heads = value?.heads;
  if (
    !Array.isArray(heads) ||
    heads.length === 0 ||
    !heads.every(
      (row) => Array.isArray(row) && row.every((cell) => typeof cell?.conflict === 'number'),
    ) ||
    !Array.isArray(value.pairs)
  )
    throw new StemError(
      `${file}: not a conflict measurement (expected "pairs" and "heads" [layer][head] with "conflict" and "cosine")`,
      HINT,
      'INPUT_INVALID',
    );
  return value as ConflictMeasurement;
}
