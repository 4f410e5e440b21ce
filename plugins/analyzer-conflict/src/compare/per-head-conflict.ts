import type { ConflictMeasurement } from '../conflict-measurement.js';

/**
 * Which per-head number `compareHeadSet` compares: `conflict` (fraction of tasks against the
 * summed gradient) or `disagreement` (minus the mean cosine over task pairs, so that higher
 * means more conflict for both).
 */
export type ConflictStatistic = 'conflict' | 'disagreement';

/** [layer][head] mean of the statistic over the measurements (heads with no cosine: NaN). */
export function perHeadConflict(
  measurements: readonly ConflictMeasurement[],
  statistic: ConflictStatistic,
): number[][] {
  const first = measurements[0];
  if (!first) throw new Error('no conflict measurement to average');
  return first.heads.map((row, layer) =>
    row.map((_, head) => {
      const values = measurements.map((m) => {
        const cell = m.heads[layer]?.[head];
        if (!cell)
          throw new Error(`measurement of update ${m.update} has no head ${layer}.${head}`);
        if (statistic === 'conflict') return cell.conflict;
        const cosines = Object.values(cell.cosine).filter((c): c is number => c !== null);
        return cosines.length === 0 ? NaN : -cosines.reduce((s, c) => s + c, 0) / cosines.length;
      });
      return values.reduce((s, v) => s + v, 0) / values.length;
    }),
  );
}
