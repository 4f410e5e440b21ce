import type { ConflictMeasurement, HeadSetComparison } from '@stem/analyzer-conflict';

const number = (value: number | null | undefined) =>
  value === null || value === undefined || Number.isNaN(value) ? '-' : value.toFixed(3);

/** Per layer: mean cosine of every task pair and mean conflict over the layer's heads. */
export function formatMeasurement(title: string, measurement: ConflictMeasurement): string {
  const header = ['layer', ...measurement.pairs.map((pair) => `cos ${pair}`), 'conflict'];
  const rows = measurement.heads.map((row, layer) => [
    String(layer),
    ...measurement.pairs.map((pair) => {
      const cosines = row.map((h) => h.cosine[pair]).filter((c): c is number => c != null);
      return number(
        cosines.length === 0 ? null : cosines.reduce((s, c) => s + c, 0) / cosines.length,
      );
    }),
    number(row.reduce((s, h) => s + h.conflict, 0) / row.length),
  ]);
  const widths = header.map((cell, c) => Math.max(cell.length, ...rows.map((r) => r[c]!.length)));
  const line = (cells: string[]) => cells.map((cell, c) => cell.padStart(widths[c]!)).join('  ');
  return [
    `${title} (update ${measurement.update}, step ${measurement.step})`,
    line(header),
    ...rows.map(line),
    `mean conflict ${number(measurement.summary.meanConflict)}`,
  ].join('\n');
}

export function formatComparison(
  statistic: string,
  setDescription: string,
  comparison: HeadSetComparison,
): string {
  const [low, high] = comparison.nullInterval95;
  return [
    `${statistic}: ${setDescription} vs the other heads`,
    `inside   ${number(comparison.inside.mean)} (${comparison.inside.heads} heads)`,
    `outside  ${number(comparison.outside.mean)} (${comparison.outside.heads} heads)`,
    `difference ${number(comparison.difference)}, permutation p = ${number(comparison.pValue)} (${comparison.permutations} permutations), null 95% interval [${number(low)}, ${number(high)}]`,
  ].join('\n');
}
