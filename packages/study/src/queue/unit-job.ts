import type { TrainingProgress } from '@stem/core';
import type { StudyGrid } from '../study/study-grid.js';
import type { StudyUnit } from '../study/study-executor.js';
import type { StudyIdentity } from './study-identity.js';

/** A job of a study's queue: one unit, with what a worker checks before running it. */
export interface UnitJobData {
  unit: StudyUnit;
  /** The coordinator's grid (the static probes draw their random encoder from its first seed). */
  grid: StudyGrid;
  identity: StudyIdentity;
  /**
   * The unit's small files (not checkpoints), path relative to the study directory -> base64:
   * attached by the worker that ran it, removed by the coordinator once it has written them
   * into the study directory (so a finished study leaves no file payloads in Redis).
   */
  files?: Record<string, string>;
}

/** What a worker reports while it runs a unit (the job's progress). */
export interface UnitJobProgress {
  worker: string;
  /** The worker's STEM_THREADS and compute path, as reported (no part of the identity). */
  threads?: number;
  computePath?: string;
  /** Steps started by this attempt, in order. */
  started: string[];
  training?: TrainingProgress;
}

/** A step the worker finished: its id, its training updates, its seconds on the worker. */
export interface UnitStepResult {
  id: string;
  updates?: number;
  seconds: number;
}

/** A completed job's value: who ran it, its time and its steps (its files ride in the data). */
export interface UnitJobResult {
  worker: string;
  seconds: number;
  steps: UnitStepResult[];
}
