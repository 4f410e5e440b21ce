/**
 * Linear warm-up over the first `warmupFraction` of the updates, then linear decay to 0
 * at `totalUpdates` (He & Choi 2021: 10% warm-up). Returns the multiplier of the base rate
 * for the update with 0-based index `update`.
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

/**
 * How many optimizer updates a run makes: accumulation restarts at every epoch end (the
 * trainer flushes a partial group there, so an epoch-end checkpoint never holds pending
 * gradients and resume stays exact), so each full epoch takes ceil(S / a) updates and a
 * final partial epoch (cut by maxSteps) ceil(rest / a). The schedule decays to 0 after
 * exactly this many, never before the last one.
 */
export function plannedUpdates(
  stepsPerEpoch: number,
  plannedSteps: number,
  accumulate: number,
): number {
  if (stepsPerEpoch <= 0) return 0;
  const fullEpochs = Math.floor(plannedSteps / stepsPerEpoch);
  const rest = plannedSteps - fullEpochs * stepsPerEpoch;
  return fullEpochs * Math.ceil(stepsPerEpoch / accumulate) + Math.ceil(rest / accumulate);
}
