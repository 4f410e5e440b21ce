/**
 * What `prepareBatch` hands to `loss` and `decode`: the selected positions of the batch
 * (row b, sub-word position t) and the original ids to predict there.
 */
export interface MaskedLmTargets {
  rows: number[];
  positions: number[];
  labels: number[];
}

export function isMaskedLmTargets(value: unknown): value is MaskedLmTargets {
  const t = value as Partial<MaskedLmTargets> | undefined;
  return (
    t !== undefined &&
    Array.isArray(t.rows) &&
    Array.isArray(t.positions) &&
    Array.isArray(t.labels) &&
    t.rows.length === t.labels.length &&
    t.positions.length === t.labels.length
  );
}
