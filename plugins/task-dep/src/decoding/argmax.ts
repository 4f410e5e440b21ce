import type { ArcScores } from './arc-scores.js';

/**
 * Each word's best head on its own (no word heads itself). Fast and usually a tree after
 * training, but nothing guarantees it: cycles and several ROOT children are possible.
 */
export function argmaxHeads(scores: ArcScores): number[] {
  const n = scores.words;
  const size = n + 1;
  const heads = new Array<number>(n);
  for (let d = 1; d <= n; d++) {
    let best = -1;
    let bestScore = -Infinity;
    const row = d * size;
    for (let h = 0; h <= n; h++) {
      if (h === d) continue;
      const score = scores.values[row + h] as number;
      if (best < 0 || score > bestScore) {
        best = h;
        bestScore = score;
      }
    }
    heads[d - 1] = best;
  }
  return heads;
}
