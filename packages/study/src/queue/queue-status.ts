import { Queue, type Job } from 'bullmq';
import type { ResolvedStudy } from '../study/study-setup.js';
import { probeFinished, runFinished } from '../study/study-state.js';
import { formatDuration } from '../study/study-progress.js';
import { checkRedisReachable, queueConnection, redactedUrl } from './queue-connection.js';
import { studyQueueName } from './study-identity.js';
import type { UnitJobData, UnitJobProgress, UnitJobResult } from './unit-job.js';
import { connectedWorkers, type WorkerDescription } from './worker-registry.js';

/**
 * Where a unit stands: `done` (its results are in the study directory), `collected next`
 * (completed on the queue, not yet written by a coordinator), or BullMQ's job state.
 */
export type UnitQueueState =
  'done' | 'completed' | 'active' | 'waiting' | 'delayed' | 'failed' | 'not queued';

export interface UnitStatus {
  id: string;
  kind: 'train' | 'prune' | 'static';
  state: UnitQueueState;
  /** The worker holding it (active), that ran it (completed) or that last failed it. */
  worker?: string;
  /** Measured seconds on its worker (completed units). */
  seconds?: number;
  /** Seconds it has been running (active units). */
  runningSeconds?: number;
  error?: string;
}

export interface QueueStatus {
  queue: string;
  url: string;
  units: UnitStatus[];
  counts: Record<UnitQueueState, number>;
  /** Workers connected to the queue now. */
  workers: number;
  /** Those workers: name, STEM_THREADS and compute path as each reported them. */
  connected: WorkerDescription[];
  /**
   * Seconds until every unit is done, from the measured unit times (mean per kind, else of
   * all), spread over the connected workers; undefined before any unit was measured.
   */
  etaSeconds?: number;
}

/** `stem study status --queue`: every unit of the grid with its state on disk and on the queue. */
export async function queueStatus(study: ResolvedStudy, url: string): Promise<QueueStatus> {
  await checkRedisReachable(url);
  const connection = queueConnection(url);
  connection.on('error', () => {});
  const queue = new Queue(studyQueueName(study.config), { connection });
  try {
    const { directory, grid } = study;
    const units: UnitStatus[] = [];
    const kinds: Array<{ id: string; kind: UnitStatus['kind']; done: boolean }> = [
      ...grid.runs.map((run) => ({
        id: run.id,
        kind: run.kind,
        done:
          runFinished(directory, run) &&
          grid.probes.filter((p) => p.run === run.id).every((p) => probeFinished(directory, p)),
      })),
      {
        id: 'static',
        kind: 'static' as const,
        done: grid.probes.filter((p) => !p.run).every((p) => probeFinished(directory, p)),
      },
    ];
    for (const { id, kind, done } of kinds) {
      const job = (await queue.getJob(id)) as Job<UnitJobData, UnitJobResult> | undefined;
      const status: UnitStatus = { id, kind, state: done ? 'done' : 'not queued' };
      if (job) {
        const state = await job.getState();
        if (!done)
          status.state =
            state === 'prioritized' || state === 'waiting-children' || state === 'unknown'
              ? 'waiting'
              : state;
        const progress = job.progress as Partial<UnitJobProgress> | number;
        if (state === 'completed' && job.returnvalue) {
          status.worker = job.returnvalue.worker;
          status.seconds = job.returnvalue.seconds;
        } else if (state === 'active') {
          if (typeof progress === 'object' && progress?.worker) status.worker = progress.worker;
          if (job.processedOn) status.runningSeconds = (Date.now() - job.processedOn) / 1000;
        } else if (state === 'failed') {
          status.error = job.failedReason;
          const worker = /^on worker (\S+):/.exec(job.failedReason ?? '')?.[1];
          if (worker) status.worker = worker;
        }
      }
      units.push(status);
    }
    const counts = Object.fromEntries(
      (['done', 'completed', 'active', 'waiting', 'delayed', 'failed', 'not queued'] as const).map(
        (s) => [s, units.filter((u) => u.state === s).length],
      ),
    ) as Record<UnitQueueState, number>;
    const connected = await connectedWorkers(queue);
    const workers = connected.length;
    const etaSeconds = estimatedSeconds(units, workers);
    return {
      queue: queue.name,
      url: redactedUrl(url),
      units,
      counts,
      workers,
      connected,
      ...(etaSeconds !== undefined ? { etaSeconds } : {}),
    };
  } finally {
    await queue.close();
    connection.disconnect();
  }
}

/**
 * The remaining work from measured unit times: each unit not done counts the mean seconds of
 * its kind (of all units when its kind has none measured), less what an active one has run;
 * the sum is spread over the workers (at least one).
 */
function estimatedSeconds(units: UnitStatus[], workers: number): number | undefined {
  const measured = units.filter((u) => u.seconds !== undefined);
  if (measured.length === 0) return undefined;
  const mean = (list: UnitStatus[]) => list.reduce((s, u) => s + u.seconds!, 0) / list.length;
  const overall = mean(measured);
  let remaining = 0;
  for (const unit of units) {
    if (unit.state === 'done' || unit.state === 'completed' || unit.state === 'failed') continue;
    const same = measured.filter((u) => u.kind === unit.kind);
    const expected = same.length > 0 ? mean(same) : overall;
    remaining += Math.max(0, expected - (unit.runningSeconds ?? 0));
  }
  return remaining / Math.max(1, workers);
}

/** The status as text lines: one per unit, then the counts and the ETA. */
export function formatQueueStatus(status: QueueStatus): string[] {
  const width = Math.max(...status.units.map((u) => u.id.length));
  const lines = [`queue ${status.queue} on ${status.url}, ${status.workers} worker(s) connected`];
  for (const worker of status.connected) {
    const how = [
      worker.threads !== undefined ? `${worker.threads} thread(s)` : 'threads not reported',
      worker.computePath ?? '',
    ].filter((s) => s !== '');
    lines.push(`  worker ${worker.name}: ${how.join(', ')}`);
  }
  for (const unit of status.units) {
    const detail = [
      unit.worker ? `worker ${unit.worker}` : '',
      unit.seconds !== undefined ? `took ${formatDuration(unit.seconds)}` : '',
      unit.runningSeconds !== undefined ? `running ${formatDuration(unit.runningSeconds)}` : '',
      unit.error ? `error: ${unit.error}` : '',
    ].filter((s) => s !== '');
    lines.push(
      `  ${unit.id.padEnd(width)}  ${unit.state.padEnd(10)}  ${detail.join(', ')}`.trimEnd(),
    );
  }
  const c = status.counts;
  lines.push(
    `${c.done} done, ${c.completed} completed (not yet collected), ${c.active} active, ${c.waiting + c.delayed} waiting, ${c.failed} failed, ${c['not queued']} not queued`,
  );
  lines.push(
    status.etaSeconds !== undefined
      ? `ETA ${formatDuration(status.etaSeconds)} (measured unit times over ${Math.max(1, status.workers)} worker(s))`
      : 'ETA unknown: no unit measured yet',
  );
  return lines;
}
