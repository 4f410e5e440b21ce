/** ln C(n, k), exact enough for head counts (hundreds) by summing logs. */
function logChoose(n: number, k: number): number {
  let sum = 0;
  for (let i = 1; i <= k; i++) sum += Math.log(n - k + i) - Math.log(i);
  return sum;
}

/**
 * P(X >= observed) for X hypergeometric: `draws` items taken without replacement from
 * `population` items of which `successes` are marked. Here: of the stem cells, how many would
 * fall in the middle layers if they were placed on heads at random.
 */
export function hypergeometricAtLeast(
  observed: number,
  population: number,
  successes: number,
  draws: number,
): number {
  const low = Math.max(observed, 0, draws - (population - successes));
  const high = Math.min(draws, successes);
  const total = logChoose(population, draws);
  let p = 0;
  for (let x = low; x <= high; x++)
    p += Math.exp(logChoose(successes, x) + logChoose(population - successes, draws - x) - total);
  return Math.min(1, p);
}
