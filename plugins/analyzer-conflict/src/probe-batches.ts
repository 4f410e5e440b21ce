import type { SeededRandom, Sentence } from '@stem/core';

/**
 * A task's fixed probe batch: `count` distinct training sentences (all of them when the task
 * has fewer), chosen by a partial Fisher-Yates shuffle of the stream `random`, returned in
 * dataset order. A pure function of the stream, so a resumed run draws the same batch.
 */
export function drawProbeBatch(
  sentences: readonly Sentence[],
  count: number,
  random: SeededRandom,
): Sentence[] {
  const indices = sentences.map((_, i) => i);
  const take = Math.min(count, indices.length);
  for (let i = 0; i < take; i++) {
    const j = i + random.int(indices.length - i);
    [indices[i], indices[j]] = [indices[j] as number, indices[i] as number];
  }
  return indices
    .slice(0, take)
    .sort((a, b) => a - b)
    .map((i) => sentences[i] as Sentence);
}
