import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { GridProbe, GridRun } from './study-grid.js';

export const RESULTS_FILE = 'results.json';
export const GATES_FILE = join('pruning', 'gates.json');

/** A run is finished only when its results are on disk: results.json, and gates for pruning. */
export function runFinished(studyDirectory: string, run: GridRun): boolean {
  const directory = join(studyDirectory, run.directory);
  return run.kind === 'prune'
    ? existsSync(join(directory, GATES_FILE))
    : existsSync(join(directory, RESULTS_FILE));
}

/** A probe is finished when its result file is on disk. */
export function probeFinished(studyDirectory: string, probe: GridProbe): boolean {
  return existsSync(join(studyDirectory, probe.file));
}
