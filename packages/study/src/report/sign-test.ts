/**
 * Exact two-sided sign test (binomial, p = 0.5) of how many labels went down against how many
 * went up; ties are dropped before it is called. p = min(1, 2 * P(X <= min(down, up))) with
 * X ~ Binomial(down + up, 1/2); 1 when there is nothing to compare.
 */
export function signTestP(down: number, up: number): number {
  const n = down + up;
  if (n === 0) return 1;
  const k = Math.min(down, up);
  // P(X = i) built up from P(X = 0) = 2^-n; label counts stay far below 2^-n underflow (n > 1074).
  let term = 2 ** -n;
  let tail = term;
  for (let i = 1; i <= k; i++) {
    term = (term * (n - i + 1)) / i;
    tail += term;
  }
  return Math.min(1, 2 * tail);
}
