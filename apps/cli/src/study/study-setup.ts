import { resolve } from 'node:path';
import { loadStudyConfig, type StudyConfig } from './study-config.js';
import { expandGrid, type StudyGrid } from './study-grid.js';

export interface StudyFlags {
  config: string;
  only?: string | undefined;
  tasks?: string | undefined;
  seeds?: number | undefined;
  set: string[];
  out?: string | undefined;
}

export interface ResolvedStudy {
  file: string;
  config: StudyConfig;
  grid: StudyGrid;
  /** Absolute study directory: --out, else the config's `directory`, else studies/<name>. */
  directory: string;
}

const list = (value: string | undefined) =>
  value
    ? value
        .split(',')
        .map((s) => s.trim())
        .filter((s) => s !== '')
    : undefined;

/** The study config with `--set` applied and the grid `--only`, `--tasks` and `--seeds` select. */
export async function resolveStudy(flags: StudyFlags): Promise<ResolvedStudy> {
  const { file, config } = await loadStudyConfig(flags.config, flags.set);
  const grid = expandGrid(config, {
    only: list(flags.only),
    tasks: list(flags.tasks),
    seeds: flags.seeds,
  });
  const directory = resolve(flags.out ?? config.directory ?? `studies/${config.name}`);
  return { file, config, grid, directory };
}
