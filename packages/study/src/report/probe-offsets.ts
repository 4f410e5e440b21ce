import {
  perLabelOffsetBaseline,
  type BaselineScores,
  type ProbeResult,
} from '@stem/analyzer-probe';

const percent = (value: number | null | undefined): string =>
  value === null || value === undefined ? '-' : (100 * value).toFixed(2);

/** The attention probe's per-label positional reference, if the result has one. */
export const positionalRow = (result: ProbeResult): BaselineScores | undefined =>
  perLabelOffsetBaseline(result);

/** `41.20 (-1)`: the reference's accuracy on a label and the word offset that gave it. */
export function offsetCell(row: BaselineScores, label: string): string {
  const offset = row.offsets?.[label];
  if (offset === undefined) return '-';
  return `${percent(row.labels[label])} (${offset > 0 ? '+' : ''}${offset})`;
}
