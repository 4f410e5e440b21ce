import { StemError } from '@stem/core';
import { Queue, type Job } from 'bullmq';
import type { Redis } from 'ioredis';
import type { StudyExecutor, StudyScope, StudyUnit } from '../study/study-executor.js';
import { checkRedisReachable, queueConnection, redactedUrl } from './queue-connection.js';
import { studyQueueName, type StudyIdentity } from './study-identity.js';
import type { UnitJobData, UnitJobProgress, UnitJobResult } from './unit-job.js';
import { recordCompletion } from './unit-completion.js';

export { QUEUE_LEDGER_FILE } from './unit-completion.js';

export interface QueueExecutorOptions {
  /** redis://[:password@]host:port[/db] or rediss://... */
  url: string;
  /** This coordinator's identity; workers refuse units of another. */
  identity: StudyIdentity;
  /** Tries of a unit before it counts as failed (default 3), with exponential back-off. */
  attempts?: number;
  /** First back-off delay in ms (default 5000). */
  backoffMs?: number;
  /** How often a unit's job is looked at, ms (default 1000). */
  pollMs?: number;
  /**
   * Ctrl-C of the coordinator: `execute` stops waiting and rejects with `STUDY_ABORTED`. The
   * jobs stay on the queue (workers go on with them), so rerunning the study reattaches.
   */
  signal?: AbortSignal;
}

export interface QueueExecutor extends StudyExecutor {
  /** Closes the Redis connections; the jobs stay on the queue. */
  close(): Promise<void>;
}

/**
 * The executor of `stem study --queue`: `schedule` puts every missing unit on the study's
 * BullMQ queue (job id = unit id, so a rerun reattaches to the jobs already there instead of
 * adding duplicates), `stem worker` processes run them, and `execute` waits for a unit's job,
 * writes the files it brought back into the study directory and relays its steps. Completion
 * is idempotent by unit: files of a unit already finished on disk are dropped (logged in
 * queue-ledger.ndjson). Once written, the files are removed from the job (Redis keeps only
 * the unit, the worker and its times). Jobs are polled rather than awaited through BullMQ's
 * event stream, so a Redis restart mid-study only delays the coordinator.
 */
export async function queueExecutor(options: QueueExecutorOptions): Promise<QueueExecutor> {
  await checkRedisReachable(options.url);
  const connection: Redis = queueConnection(options.url);
  connection.on('error', () => {}); // ioredis reconnects; commands wait (maxRetriesPerRequest null)
  let queue: Queue | undefined;
  const queueOf = (scope: StudyScope) =>
    (queue ??= new Queue(studyQueueName(scope.config), { connection }));
  const pollMs = options.pollMs ?? 1000;

  return {
    async schedule(units, scope, events) {
      const q = queueOf(scope);
      let added = 0;
      let reattached = 0;
      for (const unit of units) {
        const data: UnitJobData = { unit, grid: scope.grid, identity: options.identity };
        const existing = (await q.getJob(unit.id)) as Job<UnitJobData> | undefined;
        if (existing) {
          const state = await existing.getState();
          const same =
            existing.data.identity.configHash === options.identity.configHash &&
            sameWork(existing.data.unit, unit);
          if (same && state === 'failed') {
            await existing.retry('failed');
            reattached++;
            continue;
          }
          if (same) {
            reattached++;
            continue;
          }
          if (state === 'active')
            throw new StemError(
              `unit ${unit.id} is being run by a worker for another version of study ${scope.config.name} on ${redactedUrl(options.url)}`,
              'wait for it, or give this study another name',
              'STUDY_LOCKED',
            );
          await existing.remove();
        }
        await q.add(unit.id, data, {
          jobId: unit.id,
          attempts: options.attempts ?? 3,
          backoff: { type: 'exponential', delay: options.backoffMs ?? 5000 },
          removeOnComplete: false,
          removeOnFail: false,
        });
        added++;
      }
      events.log(
        `queue ${q.name} on ${redactedUrl(options.url)}: ${added} units added, ${reattached} already there`,
      );
      await dropCollectedFiles(q, new Set(units.map((unit) => unit.id)));
    },

    async execute(unit, scope, events) {
      const q = queueOf(scope);
      const relayed = new Set<string>();
      let lastTraining = '';
      for (;;) {
        if (options.signal?.aborted)
          throw new StemError(
            `study ${scope.config.name} stopped while waiting for unit ${unit.id}`,
            `its job stays on queue ${q.name}; rerun the same stem study --queue command to collect it`,
            'STUDY_ABORTED',
          );
        const { state, job } = await readUnitJob(q, unit.id);
        if (!job)
          throw new StemError(
            `unit ${unit.id} vanished from queue ${q.name}`,
            'rerun the study',
            'STUDY_ABORTED',
          );
        const progress = job.progress as Partial<UnitJobProgress> | number;
        if (typeof progress === 'object' && progress) {
          for (const step of progress.started ?? [])
            if (!relayed.has(step)) {
              relayed.add(step);
              await events.started(step);
            }
          const training = JSON.stringify(progress.training ?? null);
          if (progress.training && training !== lastTraining) {
            lastTraining = training;
            events.training(progress.training);
          }
        }
        if (state === 'completed') {
          const files = job.data.files;
          if (!files || !job.returnvalue)
            throw new StemError(
              `unit ${unit.id} completed on queue ${q.name} without its files`,
              `remove the job (redis-cli DEL bull:${q.name}:${unit.id}) and rerun to run it again`,
              'STUDY_UNIT_FAILED',
            );
          await recordCompletion(scope, unit, { ...job.returnvalue, files }, events, relayed);
          // Written into the study directory (or dropped as a duplicate): Redis need not keep them.
          const { files: _written, ...kept } = job.data;
          await job.updateData(kept);
          return;
        }
        if (state === 'failed')
          throw new StemError(
            `unit ${unit.id} failed ${job.attemptsMade} time(s): ${job.failedReason}`,
            `the other units stay on queue ${q.name}; fix the cause and rerun the same stem study --queue command (it retries this unit and collects the rest)`,
            'STUDY_UNIT_FAILED',
          );
        await new Promise((resolve) => setTimeout(resolve, pollMs));
      }
    },

    async close() {
      await queue?.close();
      connection.disconnect();
    },
  };
}

/** The same run and probes: a job left by an earlier, differently selected grid is not. */
function sameWork(a: StudyUnit, b: StudyUnit): boolean {
  const work = (u: StudyUnit) => JSON.stringify([u.run?.id ?? null, u.probes.map((p) => p.id)]);
  return work(a) === work(b);
}

/**
 * Completed jobs of units that are no longer to run (the study directory has them: a coordinator
 * wrote them and was stopped before it could empty the job) still carry their files: drop them,
 * so Redis keeps only the unit, the worker and its times.
 */
/**
 * A unit's job as it stands: its state first, then its data. A worker adds the unit's files to
 * the data before the job completes, so data read after a `completed` state holds them; read
 * the other way round, a job that completes between the two reads looks complete without its
 * files (it happened: a 45-minute pruning unit of study-cpu stopped the study that way).
 */
export async function readUnitJob(
  q: Pick<Queue, 'getJob' | 'getJobState'>,
  id: string,
): Promise<{ state: string; job: Job<UnitJobData, UnitJobResult> | undefined }> {
  const state = await q.getJobState(id);
  const job = (await q.getJob(id)) as Job<UnitJobData, UnitJobResult> | undefined;
  return { state, job };
}

async function dropCollectedFiles(q: Queue, toRun: ReadonlySet<string>): Promise<void> {
  const completed = (await q.getJobs(['completed'])) as Job<UnitJobData>[];
  for (const job of completed) {
    if (!job?.id || toRun.has(job.id) || !job.data.files) continue;
    const { files: _written, ...kept } = job.data;
    await job.updateData(kept);
  }
}
