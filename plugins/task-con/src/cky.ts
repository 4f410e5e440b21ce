/**
 * CKY over binary bracketings: the tree whose summed span scores is highest. With span
 * marginals as scores this is the MBR tree of the TreeCRF (the expected number of correct
 * spans is maximal). Ties go to the leftmost split point, so decoding is deterministic.
 */
import { chartReader, type Span, type SpanChart } from './span-chart.js';

export interface CkyResult {
  score: number;
  /** The 2n - 1 spans of the best tree, pre-order (a parent before its left then right child). */
  spans: Span[];
}

export function cky(chart: SpanChart): CkyResult {
  const n = chart.n;
  if (!(n >= 1)) throw new RangeError(`cky: a sentence needs at least one word, got ${n}`);
  const size = n + 1;
  const score = chartReader(chart);
  const best = new Float64Array(size * size);
  const split = new Int32Array(size * size);
  for (let i = 0; i < n; i++) best[i * size + i + 1] = score(i, i + 1);
  for (let width = 2; width <= n; width++) {
    for (let i = 0; i + width <= n; i++) {
      const j = i + width;
      let top = -Infinity;
      let arg = i + 1;
      for (let k = i + 1; k < j; k++) {
        const v = best[i * size + k]! + best[k * size + j]!;
        if (v > top) {
          top = v;
          arg = k;
        }
      }
      best[i * size + j] = score(i, j) + top;
      split[i * size + j] = arg;
    }
  }
  const spans: Span[] = [];
  const collect = (i: number, j: number): void => {
    spans.push({ start: i, end: j });
    if (j - i === 1) return;
    const k = split[i * size + j]!;
    collect(i, k);
    collect(k, j);
  };
  collect(0, n);
  return { score: best[n]!, spans };
}
