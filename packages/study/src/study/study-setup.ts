import { resolve } from 'node:path';
import type { LineOf } from '@stem/core';
import { loadStudyConfig, type StudyConfig } from './study-config.js';
import { expandGrid, type StudyGrid } from './study-grid.js';

/** Which study, and which part of its grid (the flags of `stem study` and `stem study plan`). */
export interface StudySelection {
  /** The study config file (YAML or JSON). */
  config: string;
  /** Only these settings (`stl`, `pairs`, ...): a list, or comma-separated. */
  only?: string | readonly string[] | undefined;
  /** Only these tasks: a list, or comma-separated. */
  tasks?: string | readonly string[] | undefined;
  /** Seeds 1..N instead of the config's. */
  seeds?: number | undefined;
  /** Overrides of study config fields, `path.to.field=value`. */
  set?: readonly string[] | undefined;
  /** Study directory (default: the config's `directory`, else `studies/<name>`). */
  out?: string | undefined;
}

export interface ResolvedStudy {
  file: string;
  config: StudyConfig;
  /** Lines of the study config's fields (errors in generated run configs point there). */
  lineOf?: LineOf;
  grid: StudyGrid;
  /** Absolute study directory: --out, else the config's `directory`, else studies/<name>. */
  directory: string;
}

const list = (value: string | readonly string[] | undefined) =>
  !value
    ? undefined
    : (typeof value === 'string' ? value.split(',') : value)
        .map((s) => s.trim())
        .filter((s) => s !== '');

/** The study config with `--set` applied and the grid `--only`, `--tasks` and `--seeds` select. */
export async function resolveStudy(selection: StudySelection): Promise<ResolvedStudy> {
  const { file, config, lineOf } = await loadStudyConfig(selection.config, selection.set ?? []);
  const grid = expandGrid(config, {
    only: list(selection.only),
    tasks: list(selection.tasks),
    seeds: selection.seeds,
  });
  const directory = resolve(selection.out ?? config.directory ?? `studies/${config.name}`);
  return { file, config, lineOf, grid, directory };
}
