import type { BaselineScores, HeadScore, ProbeComparison, ProbeResult } from '@stem/analyzer-probe';
import { offsetCell, positionalRow } from '@stem/study';

// The report's tables show the same reference: one definition, in @stem/study.
export { offsetCell, positionalRow };

const percent = (value: number | null | undefined): string =>
  value === null || value === undefined ? '-' : (100 * value).toFixed(2);
const head = (score: HeadScore): string => `L${score.layer + 1}H${score.head + 1}`;

/** Human summary of one probe result (layers and heads counted from 1, as in the paper). */
export function formatProbeResult(result: ProbeResult, rows = 25): string {
  const lines = [
    `${result.task} ${result.probe} probe on ${result.split}${result.fit && result.fit !== result.split ? ` (centroids fitted on ${result.fit})` : ''}: ${result.sentences} sentences, ${result.items} items, ${result.layers} x ${result.heads} heads`,
    `best head overall: ${head(result.bestHead)} ${percent(result.bestHead.accuracy)}%; mean of per-label best: ${percent(result.macroBestAccuracy)}%`,
  ];
  // DEP: the same scores without the arcs to ROOT (found only by pointing at [CLS]).
  const rootExcluded = result.rootExcluded;
  if (rootExcluded)
    lines.push(
      `ROOT excluded (${rootExcluded.items} arcs whose head is a word): best head ${head(rootExcluded.bestHead)} ${percent(rootExcluded.bestHead.accuracy)}%`,
    );
  for (const baseline of result.baselines ?? [])
    lines.push(
      `baseline "${baseline.name}": ${percent(baseline.accuracy)}%${rootExcluded && baseline.rootExcludedAccuracy !== undefined ? ` (ROOT excluded: ${percent(baseline.rootExcludedAccuracy)}%)` : ''}`,
    );
  const positional = positionalRow(result);
  const beyond = positional ? beyondPosition(result, positional) : undefined;
  if (beyond)
    lines.push(
      beyond.length === 0
        ? `no label (of ${BEYOND_POSITION_MIN_ITEMS}+ items) has a head ${BEYOND_POSITION_POINTS}+ points above its best fixed offset`
        : `labels (of ${BEYOND_POSITION_MIN_ITEMS}+ items) with a head ${BEYOND_POSITION_POINTS}+ points above their best fixed offset: ${beyond
            .map((b) => `${b.label} ${head(b.best)} (+${(100 * b.margin).toFixed(1)})`)
            .join(', ')}`,
    );
  const skipped = Object.entries(result.skipped);
  if (skipped.length > 0)
    lines.push(`left out: ${skipped.map(([why, n]) => `${n} sentences (${why})`).join(', ')}`);
  const width = Math.max(8, ...result.labels.map((l) => l.label.length));
  lines.push(
    '',
    `${'label'.padEnd(width)}  ${'count'.padStart(7)}  best head  accuracy${positional ? '  best fixed offset' : ''}`,
  );
  for (const label of result.labels.slice(0, rows))
    lines.push(
      `${label.label.padEnd(width)}  ${String(label.count).padStart(7)}  ${head(label.best).padEnd(9)}  ${percent(label.best.accuracy).padStart(8)}${positional ? `  ${offsetCell(positional, label.label)}` : ''}`,
    );
  if (result.labels.length > rows)
    lines.push(`... ${result.labels.length - rows} more labels in the JSON file`);
  return lines.join('\n');
}

/** Margin (points) by which a head must beat a label's positional reference to be listed. */
export const BEYOND_POSITION_POINTS = 10;
/** Rarer labels are left out: on a handful of items any head can look specialised. */
export const BEYOND_POSITION_MIN_ITEMS = 20;

/**
 * Labels of BEYOND_POSITION_MIN_ITEMS or more items whose best head finds BEYOND_POSITION_POINTS
 * or more points more of the label than its best fixed offset, largest margin first: what the
 * heads track that position does not.
 */
export function beyondPosition(
  result: ProbeResult,
  positional: BaselineScores,
): Array<{ label: string; best: HeadScore; margin: number }> {
  return result.labels
    .filter((l) => l.count >= BEYOND_POSITION_MIN_ITEMS)
    .map((l) => ({
      label: l.label,
      best: l.best,
      margin: l.best.accuracy - (positional.labels[l.label] ?? 0),
    }))
    .filter((l) => 100 * l.margin >= BEYOND_POSITION_POINTS - 1e-9)
    .sort((a, b) => b.margin - a.margin);
}

/** Row names under the per-label rows of `stem probe compare`. */
const OVERALL_ROW = 'best head';
const ROOT_EXCLUDED_ROW = 'no ROOT';

/** Human table of `stem probe compare`: best-head accuracy per label and the deltas to the first column. */
export function formatComparison(comparison: ProbeComparison): string {
  const width = Math.max(8, OVERALL_ROW.length, ...comparison.rows.map((r) => r.label.length));
  const column = Math.max(9, ...comparison.columns.map((c) => c.length + 1));
  const positional = comparison.rows.some((r) => r.positional !== undefined);
  const header = [
    'label'.padEnd(width),
    'count'.padStart(7),
    ...comparison.columns.map((c) => c.padStart(column)),
    ...comparison.columns.slice(1).map((c) => `Δ${c}`.padStart(column)),
    ...(positional ? ['offset ref.'] : []),
  ];
  const lines = [
    `${comparison.task}: best-head accuracy (%) per label${positional ? '; offset ref. = the best fixed word offset (no model)' : ''}; ${OVERALL_ROW} = the best head over all items${comparison.rootExcluded ? `, ${ROOT_EXCLUDED_ROW} = over the arcs whose head is a word` : ''}`,
    header.join('  '),
  ];
  for (const row of comparison.rows)
    lines.push(
      [
        row.label.padEnd(width),
        String(row.count).padStart(7),
        ...row.accuracy.map((a) => percent(a).padStart(column)),
        ...row.delta
          .slice(1)
          .map((d) =>
            (d === null ? '-' : `${d >= 0 ? '+' : ''}${(100 * d).toFixed(2)}`).padStart(column),
          ),
        ...(positional ? [percent(row.positional).padStart(11)] : []),
      ].join('  '),
    );
  const summaryRow = (name: string, values: ReadonlyArray<number | null>) =>
    [name.padEnd(width), ''.padStart(7), ...values.map((v) => percent(v).padStart(column))].join(
      '  ',
    );
  lines.push(summaryRow('macro', comparison.macro));
  lines.push(summaryRow(OVERALL_ROW, comparison.bestHead));
  if (comparison.rootExcluded) lines.push(summaryRow(ROOT_EXCLUDED_ROW, comparison.rootExcluded));
  comparison.columns
    .slice(1)
    .forEach((c, k) =>
      lines.push(
        `${c} below ${comparison.columns[0]} on ${comparison.below[k]} of ${comparison.rows.length} labels`,
      ),
    );
  return lines.join('\n');
}
