/** Caps of one mini-batch (He & Choi 2021: at most 64 sentences / 6400 sub-words). */
export interface BatchLimits {
  maxSentences: number;
  /** Budget on padded sub-words: sentences x longest sentence of the batch. */
  maxSubwords: number;
}

/**
 * Cuts a task's sentences into batches of similar length: sort by sub-word length, then
 * close a batch when one more sentence would exceed the sentence cap or the padded
 * sub-word budget. A sentence longer than the budget on its own gets a batch of its own.
 * Returns sentence indices per batch, shortest batches first; callers shuffle batch order.
 */
export function planBatches(subwordLengths: readonly number[], limits: BatchLimits): number[][] {
  if (limits.maxSentences < 1 || limits.maxSubwords < 1)
    throw new Error('batch limits must be positive');
  const order = subwordLengths
    .map((_, index) => index)
    .sort((a, b) => (subwordLengths[a] as number) - (subwordLengths[b] as number) || a - b);
  const batches: number[][] = [];
  let current: number[] = [];
  for (const index of order) {
    const length = subwordLengths[index] as number;
    // Sorted ascending, so the newcomer is the longest: padded size = count x its length.
    const wouldExceed =
      current.length + 1 > limits.maxSentences ||
      (current.length + 1) * length > limits.maxSubwords;
    if (current.length > 0 && wouldExceed) {
      batches.push(current);
      current = [];
    }
    current.push(index);
  }
  if (current.length > 0) batches.push(current);
  return batches;
}
