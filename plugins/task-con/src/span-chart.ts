/**
 * Span scores of one sentence as a chart over fenceposts 0..n: the span (i, j), i < j, covers
 * words i..j-1 and its score is `values[offset + i * stride + j]`. The stride lets a chart be a
 * view into a padded batch tensor's data without copying.
 */
export interface SpanChart {
  /** Number of words. */
  n: number;
  values: ArrayLike<number>;
  /** Row length of the underlying matrix (default n + 1). */
  stride?: number;
  /** Where this sentence's matrix starts in `values` (default 0). */
  offset?: number;
}

/** A function reading score(i, j) from a chart. */
export function chartReader(chart: SpanChart): (i: number, j: number) => number {
  const stride = chart.stride ?? chart.n + 1;
  const offset = chart.offset ?? 0;
  const values = chart.values;
  return (i, j) => values[offset + i * stride + j] as number;
}

/** Unlabelled span of a binary bracketing, half-open over words. */
export interface Span {
  start: number;
  end: number;
}
