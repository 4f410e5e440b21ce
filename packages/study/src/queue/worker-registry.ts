import type { Queue } from 'bullmq';
import type { Redis } from 'ioredis';

/**
 * How a `stem worker` computes, as `stem study status --queue` lists it. Threads and the
 * compute path are reported, never compared: a unit's results do not depend on them in
 * meaning (the same seeds and config train the same model; only float rounding of the
 * kernels' summation order may differ), so workers with different thread counts or paths
 * serve one study side by side.
 */
export interface WorkerDescription {
  name: string;
  /** STEM_THREADS of the worker's native kernels (undefined: the backend's default). */
  threads?: number;
  /** `native kernels (OpenBLAS, 4 threads)`, `plain wasm ...`: what `stem study` prints. */
  computePath?: string;
}

/** The hash of worker descriptions of a study's queue, beside BullMQ's own keys. */
function registryKey(queueName: string): string {
  return `stem:${queueName}:workers`;
}

/** Records this worker's description (before it takes units). */
export async function registerWorker(
  connection: Redis,
  queueName: string,
  description: WorkerDescription,
): Promise<void> {
  await connection.hset(registryKey(queueName), description.name, JSON.stringify(description));
}

/** Removes it again when the worker stops. */
export async function unregisterWorker(
  connection: Redis,
  queueName: string,
  name: string,
): Promise<void> {
  await connection.hdel(registryKey(queueName), name);
}

/**
 * The workers connected to the queue now, with their descriptions. Who is connected comes from
 * BullMQ (`getWorkers`, Redis's client list), so a killed worker's stale entry is not listed.
 */
export async function connectedWorkers(queue: Queue): Promise<WorkerDescription[]> {
  const connected = await queue.getWorkers();
  const names = connected.map((client) => {
    const raw = client.rawname ?? '';
    const at = raw.indexOf(':w:');
    return at >= 0 ? raw.slice(at + 3) : raw;
  });
  if (names.length === 0) return [];
  const client = await queue.client;
  const stored = await client.hmget(registryKey(queue.name), ...names);
  return names.map((name, i) => {
    const found = stored[i];
    return found ? (JSON.parse(found) as WorkerDescription) : { name };
  });
}
