import type { SeededRandom } from '../random/seeded-random.js';

/**
 * p_t = N_t^alpha / sum_k N_k^alpha (He & Choi 2021: alpha = 0.8, N_t = batches of task t).
 */
export function taskProbabilities(batchCounts: readonly number[], alpha = 0.8): number[] {
  const weights = batchCounts.map((count) => (count > 0 ? count ** alpha : 0));
  const total = weights.reduce((sum, weight) => sum + weight, 0);
  if (total <= 0) throw new Error('every task has zero batches');
  return weights.map((weight) => weight / total);
}

/** One step of an epoch: which task, and which of its batches. */
export interface EpochStep {
  task: number;
  batch: number;
}

/**
 * The order of one epoch: sum_t N_t steps, each drawing a task with p_t and taking that
 * task's next batch in a shuffled order (reshuffled when a task runs out before the epoch
 * ends). It depends only on (random, counts), so a resumed run rebuilds the same plan and
 * continues from its step index.
 */
export function planEpoch(
  batchCounts: readonly number[],
  random: SeededRandom,
  alpha = 0.8,
): EpochStep[] {
  const probabilities = taskProbabilities(batchCounts, alpha);
  const queues = batchCounts.map(() => [] as number[]);
  const total = batchCounts.reduce((sum, count) => sum + count, 0);
  const steps: EpochStep[] = [];
  for (let step = 0; step < total; step++) {
    const task = batchCounts.length === 1 ? 0 : random.choice(probabilities);
    const queue = queues[task] as number[];
    if (queue.length === 0)
      queue.push(
        ...random.shuffle(Array.from({ length: batchCounts[task] as number }, (_, i) => i)),
      );
    steps.push({ task, batch: queue.shift() as number });
  }
  return steps;
}
