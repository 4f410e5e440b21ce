/**
 * Linear warm-up over the first `warmupFraction` of the updates, then linear decay to 0
 * at `totalUpdates` (PAPER.md: 10% warm-up). Returns the multiplier of the base rate for
 * the update with 0-based index `update`.
 */
export function linearWarmupDecay(
  update: number,
  totalUpdates: number,
  warmupFraction = 0.1,
): number {
  if (totalUpdates <= 0) return 1;
  const warmup = Math.floor(totalUpdates * warmupFraction);
  const step = update + 1;
  if (step <= warmup) return step / warmup;
  return Math.max(0, (totalUpdates - step + 1) / Math.max(1, totalUpdates - warmup));
}
