import { StemError, type TrainingProgress } from '@stem/core';
import type { StudySource } from './run-config-origin.js';
import type { StudyConfig } from './study-config.js';
import type { GridProbe, GridRun, StudyGrid } from './study-grid.js';

/**
 * The study being run, as every unit of it sees it: the resolved config, its grid and the
 * absolute study directory. Everything a unit reads or writes lives under `directory`, so an
 * executor on another machine needs that directory shared (or synced) and nothing else.
 */
export interface StudyScope {
  config: StudyConfig;
  grid: StudyGrid;
  /** Absolute study directory. */
  directory: string;
  /** The study config's file and lines, to tell a run config's errors against it. */
  source?: StudySource;
}

/**
 * One unit of work, what an executor runs as a whole: a training or pruning run followed by
 * its probes (they need its checkpoint, so they run where it ran), or the static encoder's
 * probes. `runStudy` hands out only what is missing on disk: `run` is absent when the run is
 * finished already (its probes still to do) or for the static probes; `probes` lists the
 * unfinished probes, in grid order. The overlap analysis and the report are not units: they
 * run in `runStudy` after every unit has finished.
 */
export interface StudyUnit {
  /** The grid run's id (`stl-pos-s1`, `stl-dp-pos-s1`), or `static` for the static probes. */
  id: string;
  /** The run to train, resume (it has a manifest but no results) or, for pruning, summarise. */
  run?: GridRun;
  /** Probes to run after it, of the run's encoder or (`probe.run` absent) the static one. */
  probes: GridProbe[];
}

/** What a unit reports while it runs; `runStudy` records it in study.json and its progress. */
export interface UnitEvents {
  /** A step of the unit (the run's id or a probe's id) starts: awaited, study.json is written. */
  started(step: string): Promise<void>;
  /**
   * The step's results are on disk; `updates`: mini-batch steps trained by this attempt;
   * `seconds`: how long the step took where it ran (a worker's measure: the coordinator may
   * learn of a queued step long after it started), else the time since `started`.
   */
  finished(step: string, result?: { updates?: number; seconds?: number }): Promise<void>;
  /** The trainer's progress of the run being trained. */
  training(status: TrainingProgress): void;
  log(message: string): void;
  warn(message: string): void;
}

/**
 * Runs a study's units. `runStudy` calls `prepare` once (only when some run is still to
 * train), then `execute` for each unit in grid order, awaiting each, and runs the overlap and
 * the report itself when all have resolved. An executor must leave a unit's results in the
 * study directory before `execute` resolves, report each step's start and end through
 * `events`, and throw (after reporting the step's start) when a step fails: `runStudy` then
 * records the run as failed in study.json and stops.
 *
 * - `inProcessExecutor`: in this process, with core's `trainRun` (what `stem study` does).
 * - `queueExecutor` (`@stem/study/queue`): `schedule` puts every unit on a BullMQ queue as one
 *   job keyed by the unit's id (a rerun finds it), `stem worker` processes run them with
 *   `inProcessExecutor` in a local directory and send the unit's small files back with the
 *   job; `execute` awaits the job, writes those files into the study directory and relays the
 *   steps. Units are independent (each writes only its own run directory and probe files).
 */
export interface StudyExecutor {
  /** Set-up shared by every unit, e.g. building a corpus that the runs read. */
  prepare?(scope: StudyScope, events: UnitEvents): Promise<void>;
  /**
   * Every unit `runStudy` is about to execute, in grid order, before the first `execute`: an
   * executor that runs units elsewhere (the queue executor of `@stem/study/queue`) hands them
   * all out at once here, so they run in parallel while `execute` awaits them one by one. It
   * may return the unit ids in the order it starts them (the process pool: longest first);
   * `runStudy` then awaits them in that order instead of the grid's.
   */
  schedule?(
    units: readonly StudyUnit[],
    scope: StudyScope,
    events: UnitEvents,
  ): Promise<readonly string[] | void>;
  execute(unit: StudyUnit, scope: StudyScope, events: UnitEvents): Promise<void>;
  /**
   * With `schedule`: what the study's progress line shows instead of an ETA (the coordinator
   * sees one unit at a time). Default "ETA: see the workers" (the queue's).
   */
  readonly etaNote?: string;
}

/**
 * A unit's failure as an executor that runs units at once reports it, with the unit's own
 * error code (`CONFIG_INVALID`, ...) or else `STUDY_UNIT_FAILED`: `execute` of whichever unit
 * the study is waiting for rejects with it, so `step` names the step that failed (recorded as
 * failed) rather than the awaited one.
 */
export class UnitFailedError extends StemError {
  constructor(
    message: string,
    hint: string,
    /** The unit that failed. */
    readonly unit: string,
    /** Its step under way when it failed, if it had started one. */
    readonly step: string | undefined,
    code = 'STUDY_UNIT_FAILED',
  ) {
    super(message, hint, code);
    this.name = 'UnitFailedError';
  }
}
