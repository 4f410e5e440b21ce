import { hostname } from 'node:os';
import { setTimeout as sleep } from 'node:timers/promises';
import { StemError } from '@stem/core';
import { DelayedError, Worker, type Job } from 'bullmq';
import type { StudyConfig } from '../study/study-config.js';
import type { StudySource } from '../study/run-config-origin.js';
import type { StudyExecutor, StudyScope, UnitEvents } from '../study/study-executor.js';
import { checkRedisReachable, queueConnection, redactedUrl } from './queue-connection.js';
import { identityMismatch, studyQueueName, type StudyIdentity } from './study-identity.js';
import type { UnitJobData, UnitJobProgress, UnitJobResult, UnitStepResult } from './unit-job.js';
import { collectUnitFiles } from './unit-files.js';
import { registerWorker, unregisterWorker } from './worker-registry.js';

export interface StudyWorkerOptions {
  url: string;
  /** This worker's study config (the same file and --set as the coordinator's). */
  config: StudyConfig;
  /** The study config's file and lines: a unit's run-config error is told against them. */
  source?: StudySource;
  identity: StudyIdentity;
  /** Runs the units here: `inProcessExecutor` with this process's session. */
  executor: StudyExecutor;
  /**
   * The worker's own study directory: units run here, and a unit interrupted here (the worker
   * killed) resumes from its checkpoint when it comes back to this machine.
   */
  directory: string;
  /** Units at once (default 1). */
  concurrency?: number;
  /**
   * BullMQ's stalled-job check, ms: a unit whose worker stopped renewing its lock (killed) goes
   * back on the queue after about `lockDurationMs` + `stalledIntervalMs`. Defaults 30000 and
   * 60000; tests shorten them. The lock is renewed from the event loop, so it must outlast the
   * longest stretch a training step keeps the loop busy.
   */
  stalledIntervalMs?: number;
  lockDurationMs?: number;
  /** Name in the ledger, status and errors (default host:pid). */
  name?: string;
  /**
   * How this worker computes (STEM_THREADS, the compute path), listed by `stem study status
   * --queue`. Reported only: it is no part of the identity a unit is checked against.
   */
  threads?: number;
  computePath?: string;
  log(message: string): void;
  /**
   * Ctrl-C: the worker stops taking units and hands the units under way back to the queue at
   * once (BullMQ's `moveToWait`, no attempt spent), so another worker takes them without
   * waiting for a stall; their checkpoints stay here, and this machine's next worker resumes
   * from them if it gets the unit again. A unit is not finished first: it may train for
   * hours. The promise resolves with `interrupted` while the units' training may still be
   * running in this process, so the caller ends the process (`stem worker` exits 130/143).
   */
  signal?: AbortSignal;
}

export interface StudyWorkerOutcome {
  /** Units this worker completed. */
  units: string[];
  /** Stopped by `signal`, with the units it handed back to the queue. */
  interrupted?: { handedBack: string[] };
}

/**
 * `stem worker`: takes units from the study's queue and runs each with the executor in its
 * own directory, exactly as the local study would (same generated config, same seeds), and
 * returns the unit's small files with the job. Resolves when `signal` aborts; rejects when a
 * unit's identity differs from this worker's (the unit goes back to the queue untouched).
 */
export async function runStudyWorker(options: StudyWorkerOptions): Promise<StudyWorkerOutcome> {
  await checkRedisReachable(options.url);
  const name = options.name ?? `${hostname()}:${process.pid}`;
  const connection = queueConnection(options.url);
  connection.on('error', () => {});
  const units: string[] = [];
  let prepared: Promise<void> | undefined;
  let refused: ((error: Error) => void) | undefined;
  const refusal = new Promise<never>((_, reject) => (refused = reject));
  refusal.catch(() => {});
  const queueName = studyQueueName(options.config);

  /** The jobs under way here, with the lock token to hand them back on Ctrl-C. */
  const held = new Map<string, { job: Job<UnitJobData>; token: string | undefined }>();

  const processor = async (job: Job<UnitJobData>, token?: string): Promise<UnitJobResult> => {
    const { unit, grid, identity } = job.data;
    const why = identityMismatch(options.identity, identity);
    if (why) {
      // Back on the queue for a matching worker, without spending one of its attempts.
      await job.moveToDelayed(Date.now() + 1000, token);
      refused?.(
        new StemError(
          `worker ${name} refused unit ${unit.id} of queue ${queueName}: ${why}`,
          'start the worker from the same stem version and plugins, with the same study config and --set as `stem study --queue`',
          'STUDY_MISMATCH',
        ),
      );
      throw new DelayedError();
    }
    held.set(job.id!, { job, token });
    const scope: StudyScope = {
      config: options.config,
      grid,
      directory: options.directory,
      ...(options.source ? { source: options.source } : {}),
    };
    const progress: UnitJobProgress = {
      worker: name,
      started: [],
      ...(options.threads !== undefined ? { threads: options.threads } : {}),
      ...(options.computePath ? { computePath: options.computePath } : {}),
    };
    let lastReport = 0;
    const report = () => job.updateProgress({ ...progress }).catch(() => {});
    const steps: UnitStepResult[] = [];
    const began = new Map<string, number>();
    const events: UnitEvents = {
      async started(step) {
        began.set(step, Date.now());
        progress.started.push(step);
        delete progress.training;
        await report();
        options.log(`${unit.id}: ${step} started`);
      },
      async finished(step, result) {
        const seconds = (Date.now() - (began.get(step) ?? Date.now())) / 1000;
        steps.push({
          id: step,
          seconds,
          ...(result?.updates !== undefined ? { updates: result.updates } : {}),
        });
        options.log(`${unit.id}: ${step} finished in ${seconds.toFixed(1)} s`);
      },
      training(status) {
        progress.training = status;
        if (Date.now() - lastReport > 1000) {
          lastReport = Date.now();
          void report();
        }
      },
      log: (message) => options.log(`${unit.id}: ${message}`),
      warn: (message) => options.log(`${unit.id}: warning: ${message}`),
    };
    const start = Date.now();
    try {
      prepared ??= options.executor.prepare?.(scope, events) ?? Promise.resolve();
      await prepared;
      await options.executor.execute(unit, scope, events);
    } catch (error) {
      held.delete(job.id!);
      // The worker that hit it travels with the error (BullMQ keeps it as the failed reason).
      throw new Error(`on worker ${name}: ${(error as Error).message}`);
    }
    // The files ride in the job's data, which the coordinator clears once it has written them.
    const files = await collectUnitFiles(options.directory, unit);
    await job.updateData({ ...job.data, files });
    units.push(unit.id);
    held.delete(job.id!);
    return { worker: name, seconds: (Date.now() - start) / 1000, steps };
  };

  const worker = new Worker<UnitJobData, UnitJobResult>(queueName, processor, {
    connection,
    concurrency: options.concurrency ?? 1,
    name,
    stalledInterval: options.stalledIntervalMs ?? 30_000,
    lockDuration: options.lockDurationMs ?? 60_000,
    maxStalledCount: 2,
    autorun: false,
  });
  worker.on('error', (error) => options.log(`queue: ${error.message}`));
  await registerWorker(connection, queueName, {
    name,
    ...(options.threads !== undefined ? { threads: options.threads } : {}),
    ...(options.computePath ? { computePath: options.computePath } : {}),
  });
  const how = [
    options.threads !== undefined ? `${options.threads} thread(s)` : '',
    options.computePath ?? '',
  ].filter((s) => s !== '');
  options.log(
    `worker ${name}: taking units of queue ${queueName} on ${redactedUrl(options.url)}${how.length > 0 ? ` (${how.join(', ')})` : ''}`,
  );
  const stopped = new Promise<'stopped'>((resolve) => {
    if (options.signal?.aborted) resolve('stopped');
    options.signal?.addEventListener('abort', () => resolve('stopped'), { once: true });
  });
  const running = worker.run();
  let interrupted: StudyWorkerOutcome['interrupted'];
  try {
    await Promise.race([stopped, refusal]);
    // Stopped: take no more units, then give the ones under way back to the queue.
    const handedBack: string[] = [];
    interrupted = { handedBack };
    await withinHandBackTime(
      (async () => {
        await worker.pause(true);
        for (const [id, { job, token }] of held) {
          await job.moveToWait(token);
          handedBack.push(id);
        }
      })(),
    );
  } finally {
    const cleanup = async () => {
      await unregisterWorker(connection, queueName, name).catch(() => {});
      // A refusal waits for the units under way; Ctrl-C does not (they went back to the queue).
      await worker.close(interrupted !== undefined);
    };
    if (interrupted) await withinHandBackTime(cleanup());
    else {
      await cleanup();
      await running.catch(() => {});
    }
    connection.disconnect();
  }
  return { units, interrupted };
}

/**
 * How long Ctrl-C waits for Redis to take the units back. Redis away (commands wait for it to
 * return) must not keep a stopped worker alive: past this, BullMQ's stalled-job check hands
 * the units on instead, once their lock expires.
 */
const HAND_BACK_MS = 10_000;

async function withinHandBackTime(work: Promise<unknown>): Promise<void> {
  work.catch(() => {});
  await Promise.race([work, sleep(HAND_BACK_MS, undefined, { ref: false })]);
}
