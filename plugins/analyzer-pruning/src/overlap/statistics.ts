/** Small statistics for the overlap analysis, on plain arrays (no tfjs needed). */

export function mean(values: readonly number[]): number {
  return values.reduce((sum, v) => sum + v, 0) / values.length;
}

/** Pearson's r, or null when either vector is constant (r is undefined then). */
export function pearson(x: readonly number[], y: readonly number[]): number | null {
  if (x.length !== y.length || x.length < 2)
    throw new Error(`pearson: need two vectors of the same length >= 2 (${x.length}, ${y.length})`);
  const mx = mean(x);
  const my = mean(y);
  let sxy = 0;
  let sxx = 0;
  let syy = 0;
  for (let i = 0; i < x.length; i++) {
    const dx = (x[i] as number) - mx;
    const dy = (y[i] as number) - my;
    sxy += dx * dy;
    sxx += dx * dx;
    syy += dy * dy;
  }
  if (sxx === 0 || syy === 0) return null;
  return sxy / Math.sqrt(sxx * syy);
}

export interface LinearFit {
  /** Intercept first, then one coefficient per predictor. */
  coefficients: number[];
  rSquared: number;
  adjustedRSquared: number;
}

/**
 * Ordinary least squares of y on the predictors with an intercept (normal equations,
 * Gaussian elimination with partial pivoting). Null when the design is singular (a constant
 * or collinear predictor) or y is constant, where R^2 is undefined.
 */
export function linearFit(
  y: readonly number[],
  predictors: readonly (readonly number[])[],
): LinearFit | null {
  const n = y.length;
  const p = predictors.length;
  if (predictors.some((x) => x.length !== n))
    throw new Error('linearFit: every predictor needs as many values as y');
  if (n - p - 1 <= 0) return null;
  const row = (i: number) => [1, ...predictors.map((x) => x[i] as number)];
  const k = p + 1;
  const normal = Array.from({ length: k }, () => new Array<number>(k + 1).fill(0));
  for (let i = 0; i < n; i++) {
    const r = row(i);
    for (let a = 0; a < k; a++) {
      const target = normal[a] as number[];
      const ra = r[a] as number;
      for (let b = 0; b < k; b++) target[b] = (target[b] as number) + ra * (r[b] as number);
      target[k] = (target[k] as number) + ra * (y[i] as number);
    }
  }
  const coefficients = solve(normal);
  if (!coefficients) return null;
  const my = mean(y);
  let residual = 0;
  let total = 0;
  for (let i = 0; i < n; i++) {
    const r = row(i);
    const fitted = r.reduce((sum, v, j) => sum + v * (coefficients[j] as number), 0);
    residual += ((y[i] as number) - fitted) ** 2;
    total += ((y[i] as number) - my) ** 2;
  }
  if (total === 0) return null;
  const rSquared = 1 - residual / total;
  return { coefficients, rSquared, adjustedRSquared: adjustedRSquared(rSquared, n, p) };
}

/** 1 - (1 - R^2)(n - 1)/(n - p - 1) for n observations and p predictors (plus intercept). */
export function adjustedRSquared(rSquared: number, n: number, p: number): number {
  return 1 - ((1 - rSquared) * (n - 1)) / (n - p - 1);
}

/** Solves an augmented k x (k+1) system in place; null when singular. */
function solve(augmented: number[][]): number[] | null {
  const k = augmented.length;
  for (let col = 0; col < k; col++) {
    let pivot = col;
    for (let r = col + 1; r < k; r++)
      if (Math.abs(augmented[r]?.[col] as number) > Math.abs(augmented[pivot]?.[col] as number))
        pivot = r;
    const scale = Math.max(1, ...augmented.map((r) => Math.abs(r[col] as number)));
    if (Math.abs(augmented[pivot]?.[col] as number) < 1e-12 * scale) return null;
    [augmented[col], augmented[pivot]] = [augmented[pivot] as number[], augmented[col] as number[]];
    const top = augmented[col] as number[];
    for (let r = 0; r < k; r++) {
      if (r === col) continue;
      const current = augmented[r] as number[];
      const factor = (current[col] as number) / (top[col] as number);
      for (let c = col; c <= k; c++)
        current[c] = (current[c] as number) - factor * (top[c] as number);
    }
  }
  return augmented.map((r, i) => (r[k] as number) / (r[i] as number));
}
