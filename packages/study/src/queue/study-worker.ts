import { hostname } from 'node:os';
import { StemError } from '@stem/core';
import { DelayedError, Worker, type Job } from 'bullmq';
import type { StudyConfig } from '../study/study-config.js';
import type { StudyExecutor, StudyScope, UnitEvents } from '../study/study-executor.js';
import { checkRedisReachable, queueConnection, redactedUrl } from './queue-connection.js';
import { identityMismatch, studyQueueName, type StudyIdentity } from './study-identity.js';
import type { UnitJobData, UnitJobProgress, UnitJobResult, UnitStepResult } from './unit-job.js';
import { collectUnitFiles } from './unit-files.js';

export interface StudyWorkerOptions {
  url: string;
  /** This worker's study config (the same file and --set as the coordinator's). */
  config: StudyConfig;
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
  log(message: string): void;
  /** Stops taking units; the ones under way finish first. */
  signal?: AbortSignal;
}

export interface StudyWorkerOutcome {
  /** Units this worker completed. */
  units: string[];
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
    const scope: StudyScope = { config: options.config, grid, directory: options.directory };
    const progress: UnitJobProgress = { worker: name, started: [] };
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
      // The worker that hit it travels with the error (BullMQ keeps it as the failed reason).
      throw new Error(`on worker ${name}: ${(error as Error).message}`);
    }
    const files = await collectUnitFiles(options.directory, unit);
    units.push(unit.id);
    return { worker: name, seconds: (Date.now() - start) / 1000, steps, files };
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
  options.log(`worker ${name}: taking units of queue ${queueName} on ${redactedUrl(options.url)}`);
  const stopped = new Promise<void>((resolve) => {
    if (options.signal?.aborted) resolve();
    options.signal?.addEventListener('abort', () => resolve(), { once: true });
  });
  const running = worker.run();
  try {
    await Promise.race([stopped, refusal]);
  } finally {
    await worker.close();
    await running.catch(() => {});
    connection.disconnect();
  }
  return { units };
}
