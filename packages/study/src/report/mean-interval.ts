import { studentT975 } from './student-t.js';

/**
 * The mean of per-seed values (paired differences, or scores minus a fixed reference) with its
 * 95% Student-t interval. With one value there is no spread and so no interval: the bounds are
 * absent, never zero.
 */
export interface MeanInterval {
  mean: number;
  n: number;
  /** Sample standard deviation (n - 1); absent for one value. */
  sd?: number;
  /** t(0.975, n - 1) * sd / sqrt(n). */
  halfWidth?: number;
  low?: number;
  high?: number;
}

export function meanInterval(values: readonly number[]): MeanInterval {
  const n = values.length;
  if (n === 0) throw new Error('meanInterval needs at least one value');
  const mean = values.reduce((a, b) => a + b, 0) / n;
  if (n < 2) return { mean, n };
  const sd = Math.sqrt(values.reduce((a, b) => a + (b - mean) ** 2, 0) / (n - 1));
  const halfWidth = (studentT975(n - 1) * sd) / Math.sqrt(n);
  return { mean, n, sd, halfWidth, low: mean - halfWidth, high: mean + halfWidth };
}

/**
 * Where the interval lies relative to zero: 'below' or 'above' when it excludes zero,
 * 'inconclusive' when it holds zero, undefined without an interval (one value).
 */
export function sideOfZero(interval: MeanInterval): 'below' | 'above' | 'inconclusive' | undefined {
  if (interval.low === undefined || interval.high === undefined) return undefined;
  if (interval.high < 0) return 'below';
  if (interval.low > 0) return 'above';
  return 'inconclusive';
}
