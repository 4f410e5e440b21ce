import { existsSync } from 'node:fs';
import { mkdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { isDeepStrictEqual } from 'node:util';
import { overlapOfRuns } from '@stem/analyzer-pruning';
import { SeededRandom, StemError, type PackageVersion, type TrainingProgress } from '@stem/core';
import { parse as parseYaml } from 'yaml';
import { collectStudy, type Study } from '../report/study-files.js';
import { writeReport, type ReportFiles } from '../report/write-report.js';
import { studyHeadline, type StudyHeadline } from '../report/study-headline.js';
import { estimatedSteps, stepCap } from './estimated-steps.js';
import { OVERLAP_DIRECTORY, reportPaths } from './report-paths.js';
import { runConfigFile, runExperimentConfig } from './run-config.js';
import {
  UnitFailedError,
  type StudyExecutor,
  type StudyScope,
  type StudyUnit,
  type UnitEvents,
} from './study-executor.js';
import type { GridProbe, GridRun } from './study-grid.js';
import { lockStudy } from './study-lock.js';
import {
  newStudyManifest,
  readStudyManifest,
  writeStudyManifest,
  type StepRecord,
  type StudyManifest,
} from './study-manifest.js';
import { StudyProgress } from './study-progress.js';
import type { ResolvedStudy } from './study-setup.js';
import { probeFinished, runFinished } from './study-state.js';

/** What `runStudy` reports while it runs; printing is the caller's. */
export type StudyEvent =
  /** A progress line (steps done, ETA) or a message of the step running now. */
  | { type: 'log'; message: string }
  /** Something the user should know: a changed config of a finished run, a file the report skips. */
  | { type: 'warning'; message: string }
  /** The trainer's progress of the run `step`. */
  | { type: 'training'; step: string; status: TrainingProgress };

export interface RunStudyOptions {
  executor: StudyExecutor;
  /** Versions recorded in study.json besides node's and core's (the CLI: itself and its plugins). */
  packages?: PackageVersion[];
  /** The compute path (`computePath(backend)`), shown in every progress line. */
  computePath?: string;
  progress?: (event: StudyEvent) => void;
  /**
   * Stops the study between steps (a step under way finishes first; an interrupted run would
   * resume anyway): `runStudy` rejects with a `StemError` of code `STUDY_ABORTED`.
   */
  signal?: AbortSignal;
}

export interface StudyOutcome {
  directory: string;
  report: ReportFiles;
  study: Study;
  headline: StudyHeadline;
  /** Steps run by this process / found finished on disk. */
  ran: string[];
  skipped: string[];
  seconds: number;
}

const REPORT_DIRECTORY = 'report';

/**
 * Runs what is missing of a study, in grid order: each training or pruning run with its probes
 * (a run with a manifest but no results is resumed from its last checkpoint; one without is
 * started afresh in its fixed directory), the static probes, then the overlap of the STL-DP
 * runs and the report. Finished runs are never touched. The executor runs the units; this
 * function holds the study directory's lock, keeps study.json (rewritten after every step)
 * and the progress, and writes the overlap and the report.
 */
export async function runStudy(
  study: ResolvedStudy,
  options: RunStudyOptions,
): Promise<StudyOutcome> {
  const emit = options.progress ?? (() => {});
  const warn = (message: string) => emit({ type: 'warning', message });
  // One process per study directory; released at the end, taken over after a kill.
  const lock = await lockStudy(study.directory, warn);
  try {
    const manifest = newStudyManifest(
      study.file,
      study.config,
      study.grid,
      options.packages ?? [],
      await readStudyManifest(study.directory),
    );
    return await coordinate(study, manifest, options, emit);
  } finally {
    await lock.release();
  }
}

async function coordinate(
  study: ResolvedStudy,
  manifest: StudyManifest,
  options: RunStudyOptions,
  emit: (event: StudyEvent) => void,
): Promise<StudyOutcome> {
  const { directory, grid, config } = study;
  const scope: StudyScope = {
    config,
    grid,
    directory,
    source: { file: study.file, lineOf: study.lineOf ?? (() => undefined) },
  };
  const log = (message: string) => emit({ type: 'log', message });
  const warn = (message: string) => emit({ type: 'warning', message });
  await mkdir(directory, { recursive: true });
  const planned = new Map<string, number>();
  const caps = new Map<string, number>();
  for (const run of grid.runs) {
    if (runFinished(directory, run)) continue;
    const experiment = runExperimentConfig(config, run, directory);
    planned.set(run.id, estimatedSteps(experiment));
    const cap = stepCap(experiment);
    if (cap !== undefined) caps.set(run.id, cap);
  }
  const total = grid.runs.length + grid.probes.length + 2;
  const progress = new StudyProgress(
    total,
    planned,
    log,
    caps,
    undefined,
    undefined,
    options.computePath,
    // An executor that schedules units runs them at once: it says what to read instead.
    options.executor.schedule === undefined
      ? undefined
      : (options.executor.etaNote ?? 'ETA: see the workers'),
  );
  const ran: string[] = [];
  const skipped: string[] = [];
  const record = async (id: string, step: StepRecord) => {
    manifest.steps[id] = step;
    await writeStudyManifest(directory, manifest);
  };
  // The manifest first mirrors what is on disk.
  // A step finished on disk keeps what an earlier process recorded of it (start, end, seconds).
  const mirrored = (id: string, record: StepRecord): StepRecord => {
    const earlier = manifest.steps[id];
    return record.state === 'finished' && earlier?.state === 'finished'
      ? { ...earlier, ...record }
      : record;
  };
  // Steps of this grid only (an earlier, wider grid's other steps are not this run's).
  const gridSteps = new Set([...grid.runs.map((r) => r.id), ...grid.probes.map((p) => p.id)]);
  for (const id of Object.keys(manifest.steps))
    if (!gridSteps.has(id) && id !== 'overlap' && id !== 'report') delete manifest.steps[id];
  for (const run of grid.runs)
    manifest.steps[run.id] = mirrored(run.id, {
      kind: run.kind,
      path: run.directory,
      state: runFinished(directory, run) ? 'finished' : 'pending',
    });
  for (const probe of grid.probes)
    manifest.steps[probe.id] = mirrored(probe.id, {
      kind: 'probe',
      path: probe.file,
      state: probeFinished(directory, probe) ? 'finished' : 'pending',
    });
  await writeStudyManifest(directory, manifest);
  // Done from the start: a queued unit's finished steps are otherwise counted only when the
  // coordinator reaches that unit in grid order.
  for (const [id, step] of Object.entries(manifest.steps))
    if (step.state === 'finished' && gridSteps.has(id)) progress.finished(id);

  const steps = new Map<string, { run?: GridRun; probe?: GridProbe; startedAt?: Date }>([
    ...grid.runs.map((run) => [run.id, { run }] as const),
    ...grid.probes.map((probe) => [probe.id, { probe }] as const),
  ]);
  const stepOf = (id: string) => {
    const step = steps.get(id);
    if (!step) throw new Error(`the executor reported step ${id}, which is not in the grid`);
    return step;
  };
  let current: string | undefined;
  // Finished steps of the unit not reported yet, in grid order: each is counted as skipped
  // where the grid has it, before the next step the executor starts (the progress stays in order).
  let finishedAhead: Array<{ id: string; done: boolean }> = [];
  const skipUntil = (id: string | undefined) => {
    while (finishedAhead.length > 0 && finishedAhead[0]!.id !== id) {
      const next = finishedAhead.shift()!;
      if (next.done) {
        skipped.push(next.id);
        progress.finished(next.id);
      }
    }
    if (id !== undefined) finishedAhead.shift();
  };
  const events: UnitEvents = {
    async started(id) {
      const step = stepOf(id);
      skipUntil(id);
      current = id;
      step.startedAt = new Date();
      if (step.run) {
        const run = step.run;
        progress.start(run.id, `${run.directory} (${run.kind === 'prune' ? 'prune' : 'train'})`);
        await record(run.id, {
          kind: run.kind,
          path: run.directory,
          state: 'running',
          startedAt: step.startedAt.toISOString(),
        });
      } else {
        const probe = step.probe!;
        progress.start(probe.id, `probe ${probe.task} of ${probe.run ?? 'the static encoder'}`);
      }
    },
    async finished(id, result) {
      const step = stepOf(id);
      const finishedAt = new Date();
      // A queued step's own time comes from its worker; this process may have heard of its
      // start only when it collected it.
      const seconds =
        result?.seconds ?? (finishedAt.getTime() - (step.startedAt ?? finishedAt).getTime()) / 1000;
      const timing = {
        state: 'finished' as const,
        startedAt: new Date(finishedAt.getTime() - seconds * 1000).toISOString(),
        finishedAt: finishedAt.toISOString(),
        seconds,
      };
      if (step.run)
        await record(id, {
          kind: step.run.kind,
          path: step.run.directory,
          ...timing,
          ...(result?.updates !== undefined ? { updates: result.updates } : {}),
        });
      else await record(id, { kind: 'probe', path: step.probe!.file, ...timing });
      current = undefined;
      ran.push(id);
      progress.finished(id);
    },
    training(status) {
      progress.training(status);
      if (current) emit({ type: 'training', step: current, status });
    },
    log,
    warn,
  };

  const units = studyUnits(scope);
  if (grid.runs.some((r) => !runFinished(directory, r)))
    await options.executor.prepare?.(scope, events);
  const toRun = units.map(({ unit }) => unit).filter((u) => u.run || u.probes.length > 0);
  const order =
    toRun.length > 0 ? await options.executor.schedule?.(toRun, scope, events) : undefined;
  // Awaited in the order the executor starts them (grid order by default), so the progress
  // and study.json follow the units as they run; units with nothing to run come first.
  const rank = new Map((order ?? []).map((id, index) => [id, index] as const));
  const awaited = order
    ? [...units].sort((a, b) => (rank.get(a.unit.id) ?? -1) - (rank.get(b.unit.id) ?? -1))
    : units;
  for (const { unit, gridRun, runDone } of awaited) {
    if (options.signal?.aborted)
      throw new StemError(
        `study ${config.name} stopped before ${unit.id}`,
        'run the same command again to resume it',
        'STUDY_ABORTED',
      );
    if (gridRun && runDone) await warnIfConfigChanged(scope, gridRun, warn);
    finishedAhead = [
      ...(gridRun ? [{ id: gridRun.id, done: runDone }] : []),
      ...grid.probes
        .filter((p) => (p.run ?? STATIC_UNIT) === unit.id)
        .map((p) => ({ id: p.id, done: probeFinished(directory, p) })),
    ];
    if (unit.run || unit.probes.length > 0) {
      try {
        await options.executor.execute(unit, scope, events);
      } catch (error) {
        // An executor running units at once may fail on another unit than the awaited one.
        const failedId = error instanceof UnitFailedError ? error.step : current;
        const step = failedId ? steps.get(failedId) : undefined;
        if (step?.run && (step.startedAt || failedId !== current))
          await record(step.run.id, {
            kind: step.run.kind,
            path: step.run.directory,
            state: 'failed',
            ...(step.startedAt ? { startedAt: step.startedAt.toISOString() } : {}),
            error: (error as Error).message,
          });
        // The awaited run stops with the study; it resumes from its checkpoint next time.
        const stopped = current && current !== failedId ? steps.get(current) : undefined;
        if (stopped?.run)
          await record(stopped.run.id, {
            kind: stopped.run.kind,
            path: stopped.run.directory,
            state: 'pending',
          });
        throw error;
      }
    }
    skipUntil(undefined);
  }

  // Derived from finished results, so recomputed every time (the same inputs give the same files).
  progress.start('overlap', 'stem analyze overlap');
  const overlap = await analyseOverlap(scope, warn);
  if (overlap) await record('overlap', { kind: 'overlap', path: overlap, state: 'finished' });
  progress.finished('overlap');
  progress.start('report', 'stem report');
  const collected = await collectStudy(reportPaths(directory, scope.grid, overlap));
  for (const problem of collected.problems) warn(problem);
  const headline = studyHeadline(collected);
  const report = await writeReport(collected, join(directory, REPORT_DIRECTORY), headline);
  manifest.report = join(REPORT_DIRECTORY, 'index.html');
  await record('report', { kind: 'report', path: manifest.report, state: 'finished' });
  progress.finished('report');
  return {
    directory,
    report,
    study: collected,
    headline,
    ran,
    skipped,
    seconds: progress.elapsedSeconds(),
  };
}

/** The id of the unit of the static encoder's probes. */
const STATIC_UNIT = 'static';

/**
 * The grid as units, in the order the study runs them: each run with its probes, so a
 * finished run is finished with everything that needs its checkpoint (a study directory copied
 * without checkpoints, docs/ or another machine, resumes with nothing lost), then the static
 * encoder's probes. Only what is missing on disk is in a unit.
 */
function studyUnits(
  scope: StudyScope,
): Array<{ unit: StudyUnit; gridRun?: GridRun; runDone: boolean }> {
  const { directory, grid } = scope;
  const pendingProbes = (run: string | undefined) =>
    grid.probes.filter((p) => p.run === run && !probeFinished(directory, p));
  const units: Array<{ unit: StudyUnit; gridRun?: GridRun; runDone: boolean }> = grid.runs.map(
    (run) => {
      const runDone = runFinished(directory, run);
      return {
        unit: { id: run.id, ...(runDone ? {} : { run }), probes: pendingProbes(run.id) },
        gridRun: run,
        runDone,
      };
    },
  );
  units.push({ unit: { id: STATIC_UNIT, probes: pendingProbes(undefined) }, runDone: false });
  return units;
}

/**
 * A finished run is kept even when the study config now asks for something else: say so.
 * Where the study directory lives (`output.directory`) is not part of the experiment, so a
 * study moved or copied elsewhere (the committed docs/study-cpu) resumes without warnings.
 */
async function warnIfConfigChanged(
  scope: StudyScope,
  run: GridRun,
  warn: (message: string) => void,
): Promise<void> {
  const file = runConfigFile(scope.directory, run);
  if (!existsSync(file)) return;
  const experiment = ({ output: _, ...rest }: Record<string, unknown>) => rest;
  let before: Record<string, unknown> | undefined;
  try {
    before = parseYaml(await readFile(file, 'utf8')) as Record<string, unknown>;
  } catch {
    before = undefined; // unreadable: treated as changed
  }
  // Through JSON, as YAML would: keys whose value is undefined are not written.
  const now = JSON.parse(
    JSON.stringify(runExperimentConfig(scope.config, run, scope.directory)),
  ) as Record<string, unknown>;
  if (!before || !isDeepStrictEqual(experiment(before), experiment(now)))
    warn(
      `${run.directory} finished with a different config than the study config gives now; it is kept (delete the folder to run it again)`,
    );
}

/** `stem analyze overlap` over the STL-DP runs; the folder of overlap.json, or undefined. */
async function analyseOverlap(
  scope: StudyScope,
  warn: (message: string) => void,
): Promise<string | undefined> {
  const runs = scope.grid.runs.filter((r) => scope.grid.overlapRuns.includes(r.id));
  if (runs.length === 0) return undefined;
  const output = join(scope.directory, OVERLAP_DIRECTORY);
  // The sharing test's permutations come from the study's first seed, on their own stream.
  const seed = scope.grid.seeds[0] ?? 1;
  try {
    await overlapOfRuns(
      runs.map((r) => join(scope.directory, r.directory)),
      output,
      { random: new SeededRandom(seed).fork('overlap/sharing'), seed },
    );
  } catch (error) {
    warn(`stem analyze overlap: ${(error as Error).message}`);
    return undefined;
  }
  return OVERLAP_DIRECTORY;
}
