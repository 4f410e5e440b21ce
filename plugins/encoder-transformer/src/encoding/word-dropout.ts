/**
 * Replaces sub-word ids by the mask id with probability `rate` (training only), never
 * touching the special ids ([CLS], [SEP], [PAD]). Draws come from the given seeded source.
 */
export function applyWordDropout(
  ids: number[][],
  rate: number,
  maskId: number,
  specials: ReadonlySet<number>,
  next: () => number,
): number[][] {
  if (rate <= 0) return ids;
  return ids.map((row) => row.map((id) => (!specials.has(id) && next() < rate ? maskId : id)));
}
