import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { CORE_VERSION, writeJsonAtomic, type PackageVersion } from '@stem/core';
import type { StudyConfig } from './study-config.js';
import type { StudyGrid } from './study-grid.js';

export const STUDY_MANIFEST_FORMAT = 1;
export const STUDY_MANIFEST_FILE = 'study.json';

export type StepState = 'pending' | 'running' | 'finished' | 'failed';

export interface StepRecord {
  kind: 'train' | 'prune' | 'probe' | 'overlap' | 'report';
  state: StepState;
  /** Relative to the study directory: the run directory or the result file. */
  path: string;
  startedAt?: string;
  finishedAt?: string;
  /** Wall seconds of the attempt that finished it (this process only). */
  seconds?: number;
  /** Updates trained, for runs. */
  updates?: number;
  error?: string;
}

/**
 * The study's own record, `<study>/study.json`, rewritten atomically after every step: the
 * config, the grid, each step's state and the versions. It mirrors the files: a run counts as
 * finished only when its results are on disk, whatever this file says.
 */
export interface StudyManifest {
  format: typeof STUDY_MANIFEST_FORMAT;
  name: string;
  configFile: string;
  config: StudyConfig;
  grid: Pick<StudyGrid, 'tasks' | 'seeds' | 'settings'>;
  steps: Record<string, StepRecord>;
  versions: { node: string; core: string; packages: PackageVersion[] };
  createdAt: string;
  updatedAt: string;
  report?: string;
}

export async function readStudyManifest(directory: string): Promise<StudyManifest | undefined> {
  const file = join(directory, STUDY_MANIFEST_FILE);
  if (!existsSync(file)) return undefined;
  try {
    const manifest = JSON.parse(await readFile(file, 'utf8')) as StudyManifest;
    return manifest.format === STUDY_MANIFEST_FORMAT ? manifest : undefined;
  } catch {
    return undefined; // written atomically, so only a hand edit breaks it; the files decide
  }
}

export function newStudyManifest(
  configFile: string,
  config: StudyConfig,
  grid: StudyGrid,
  packages: PackageVersion[],
  previous: StudyManifest | undefined,
): StudyManifest {
  const now = new Date().toISOString();
  return {
    format: STUDY_MANIFEST_FORMAT,
    name: config.name,
    configFile,
    config,
    grid: { tasks: grid.tasks, seeds: grid.seeds, settings: grid.settings },
    // A rerun keeps the timings of steps finished before (the executor re-mirrors their state).
    steps: { ...(previous?.steps ?? {}) },
    versions: { node: process.version, core: CORE_VERSION, packages },
    createdAt: previous?.createdAt ?? now,
    updatedAt: now,
  };
}

export async function writeStudyManifest(
  directory: string,
  manifest: StudyManifest,
): Promise<void> {
  manifest.updatedAt = new Date().toISOString();
  await writeJsonAtomic(join(directory, STUDY_MANIFEST_FILE), manifest);
}
