/**
 * The TreeCRF over binary bracketings (Zhang, Zhou & Li 2020), in plain JavaScript outside
 * the autodiff tape. A tree's score is the sum of its 2n - 1 span scores (every width-1 span
 * and the whole sentence included: they are in every tree, so they cancel in the loss).
 *
 * inside:  beta(i, i+1) = s(i, i+1);  beta(i, j) = s(i, j) + logsumexp_k [beta(i, k) + beta(k, j)]
 * log Z = beta(0, n). The marginal of a span, d log Z / d s(i, j), is computed by running the
 * inside recursion backwards (reverse-mode differentiation of the chart, which is exactly the
 * outside algorithm): O(n^3) time, O(n^2) memory, in float64 for accurate gradients.
 */
import { chartReader, type SpanChart } from './span-chart.js';

export interface InsideResult {
  logPartition: number;
  /** beta(i, j) at index i * (n + 1) + j. */
  inside: Float64Array;
  /** logsumexp over split points of beta(i, k) + beta(k, j), for width >= 2. */
  splits: Float64Array;
}

export function insideAlgorithm(chart: SpanChart): InsideResult {
  const n = chart.n;
  if (!(n >= 1))
    throw new RangeError(`insideAlgorithm: a sentence needs at least one word, got ${n}`);
  const size = n + 1;
  const score = chartReader(chart);
  const inside = new Float64Array(size * size);
  const splits = new Float64Array(size * size);
  for (let i = 0; i < n; i++) inside[i * size + i + 1] = score(i, i + 1);
  for (let width = 2; width <= n; width++) {
    for (let i = 0; i + width <= n; i++) {
      const j = i + width;
      let max = -Infinity;
      for (let k = i + 1; k < j; k++) {
        const v = inside[i * size + k]! + inside[k * size + j]!;
        if (v > max) max = v;
      }
      let sum = 0;
      for (let k = i + 1; k < j; k++)
        sum += Math.exp(inside[i * size + k]! + inside[k * size + j]! - max);
      const split = max + Math.log(sum);
      splits[i * size + j] = split;
      inside[i * size + j] = score(i, j) + split;
    }
  }
  return { logPartition: inside[n]!, inside, splits };
}

export interface MarginalsResult {
  logPartition: number;
  /** P(span (i, j) is in the tree) = d log Z / d s(i, j), at index i * (n + 1) + j. */
  marginals: Float64Array;
}

export function spanMarginals(chart: SpanChart): MarginalsResult {
  return marginalsFromInside(chart.n, insideAlgorithm(chart));
}

/** The outside pass alone, on the result of `insideAlgorithm` for the same n-word chart. */
export function marginalsFromInside(n: number, insideResult: InsideResult): MarginalsResult {
  const size = n + 1;
  const { logPartition, inside, splits } = insideResult;
  // adjoint[i, j] = d log Z / d beta(i, j); since beta(i, j) = s(i, j) + split(i, j), it is also
  // the marginal of the span. Parents are wider than children: visit widths in decreasing order.
  const adjoint = new Float64Array(size * size);
  adjoint[n] = 1;
  for (let width = n; width >= 2; width--) {
    for (let i = 0; i + width <= n; i++) {
      const j = i + width;
      const upstream = adjoint[i * size + j]!;
      if (upstream === 0) continue;
      const split = splits[i * size + j]!;
      for (let k = i + 1; k < j; k++) {
        const share = upstream * Math.exp(inside[i * size + k]! + inside[k * size + j]! - split);
        adjoint[i * size + k]! += share;
        adjoint[k * size + j]! += share;
      }
    }
  }
  return { logPartition, marginals: adjoint };
}
