import type { TokenizedBatch } from '@stem/core';

export interface BatchLimits {
  maxSentences: number;
  /** Padded sub-words: sentences x the longest of them. */
  maxSubwords: number;
}

/**
 * Sentence indices grouped into batches of similar length (sorted by sub-word count, ties by
 * position) under both limits; a sentence longer than the budget gets a batch of its own.
 */
export function planBatches(lengths: readonly number[], limits: BatchLimits): number[][] {
  const order = lengths
    .map((_, i) => i)
    .sort((a, b) => (lengths[a] as number) - (lengths[b] as number) || a - b);
  const batches: number[][] = [];
  let current: number[] = [];
  for (const index of order) {
    const longest = lengths[index] as number; // ascending order: the newcomer is the longest
    if (
      current.length > 0 &&
      (current.length + 1 > limits.maxSentences ||
        (current.length + 1) * longest > limits.maxSubwords)
    ) {
      batches.push(current);
      current = [];
    }
    current.push(index);
  }
  if (current.length > 0) batches.push(current);
  return batches;
}

/** The rows `indices` of a tokenised corpus as a batch of their own. */
export function sliceBatch(tokens: TokenizedBatch, indices: readonly number[]): TokenizedBatch {
  return {
    subwordIds: indices.map((i) => tokens.subwordIds[i] as number[]),
    wordSpans: indices.map((i) => tokens.wordSpans[i] as Array<[number, number]>),
    wordCounts: indices.map((i) => tokens.wordCounts[i] as number),
  };
}
