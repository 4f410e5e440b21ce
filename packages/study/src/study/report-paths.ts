import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { studyConfigSchema } from './study-config.js';
import { expandGrid, STUDY_SETTINGS, type StudyGrid } from './study-grid.js';

/** Where a study keeps its overlap analysis and its state, relative to the study directory. */
export const OVERLAP_DIRECTORY = join('analyses', 'overlap');
export const STUDY_STATE_FILE = 'study.json';

/**
 * The files a study's report reads, in the order the study reads them: static probes, then the
 * STL, pair and MTL-5 runs, the pruning runs, and the overlap. The report lays out its columns
 * and names its figures' gradients in this order, so `stem report <study-dir>` and the report
 * `stem study` writes are the same files only when both read in this order.
 */
export function reportPaths(directory: string, grid: StudyGrid, overlap?: string): string[] {
  const paths: string[] = [];
  const staticProbes = grid.probes.filter((p) => !p.run).map((p) => join(directory, p.file));
  paths.push(...staticProbes.filter((p) => existsSync(p)));
  for (const setting of ['stl', 'pairs', 'mtl5'] as const)
    for (const run of grid.runs.filter((r) => r.setting === setting))
      paths.push(join(directory, run.directory));
  for (const run of grid.runs.filter((r) => r.kind === 'prune'))
    paths.push(join(directory, run.directory));
  if (overlap) paths.push(join(directory, overlap, 'overlap.json'));
  return paths.map((p) => resolve(p));
}

/**
 * A study directory's report paths, from the config and grid selection its `study.json`
 * recorded; only what exists on disk (a study still running reports what has finished).
 * Undefined when `directory` holds no readable `study.json`: the caller walks it instead.
 */
export async function studyDirectoryReportPaths(directory: string): Promise<string[] | undefined> {
  const file = join(directory, STUDY_STATE_FILE);
  if (!existsSync(file)) return undefined;
  let state: {
    config?: unknown;
    grid?: { tasks?: string[]; seeds?: number[]; settings?: string[] };
  };
  try {
    state = JSON.parse(await readFile(file, 'utf8')) as typeof state;
  } catch {
    return undefined;
  }
  const config = studyConfigSchema.safeParse(state.config);
  if (!config.success) return undefined;
  const settings = state.grid?.settings?.filter((s) =>
    (STUDY_SETTINGS as readonly string[]).includes(s),
  );
  let grid: StudyGrid;
  try {
    grid = expandGrid(config.data, { only: settings, tasks: state.grid?.tasks });
  } catch {
    return undefined;
  }
  const seeds = state.grid?.seeds;
  if (seeds)
    grid = {
      ...grid,
      runs: grid.runs.filter((r) => seeds.includes(r.seed)),
      probes: grid.probes.filter((p) => p.seed === undefined || seeds.includes(p.seed)),
    };
  const overlap = existsSync(join(directory, OVERLAP_DIRECTORY, 'overlap.json'))
    ? OVERLAP_DIRECTORY
    : undefined;
  return reportPaths(directory, grid, overlap).filter((p) => existsSync(p));
}
