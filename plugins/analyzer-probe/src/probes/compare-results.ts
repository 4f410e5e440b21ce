import { perLabelOffsetBaseline } from './positional-baselines.js';
import type { ProbeResult } from './probe-result.js';

export interface ProbeComparison {
  task: string;
  /** One name per compared result (e.g. static, STL, MTL), in the order given. */
  columns: string[];
  rows: Array<{
    label: string;
    /** Gold count in the first result that has the label. */
    count: number;
    /** Best-head accuracy per column; null where that result lacks the label. */
    accuracy: Array<number | null>;
    /** accuracy[k] - accuracy[0]; null where either is missing. */
    delta: Array<number | null>;
    /**
     * The label's best fixed offset (a positional reference that needs no model) from the
     * first result that has one; present when any result carries that baseline.
     */
    positional?: number | null;
  }>;
  /** Macro average of the best-head accuracy per column (over the labels each has). */
  macro: number[];
  /** Per column, the best head's accuracy over all items (the result's `bestHead`). */
  bestHead: number[];
  /**
   * Per column, the best head's accuracy over the DEP arcs whose head is a word (ROOT arcs
   * left out); null for a result written before that field. Present when any result has it.
   */
  rootExcluded?: Array<number | null>;
  /** Per column (from the second): labels where it is below the first. */
  below: number[];
}

/**
 * Per-label best-head accuracy of several probe results of one task side by side, with the
 * difference of each column to the first (the paper: static vs STL vs MTL). Labels follow
 * the first result's order (most frequent first), then labels only later results have.
 */
export function compareProbeResults(
  results: ReadonlyArray<{ name: string; result: ProbeResult }>,
): ProbeComparison {
  if (results.length === 0) throw new Error('nothing to compare: give at least one probe result');
  const task = results[0]!.result.task;
  const other = results.find((r) => r.result.task !== task);
  if (other)
    throw new Error(
      `${other.name} is a ${other.result.task} probe but ${results[0]!.name} is a ${task} probe: compare results of one task`,
    );
  const order: string[] = [];
  const counts = new Map<string, number>();
  for (const { result } of results)
    for (const label of result.labels)
      if (!counts.has(label.label)) {
        counts.set(label.label, label.count);
        order.push(label.label);
      }
  const lookup = results.map(
    ({ result }) => new Map(result.labels.map((l) => [l.label, l.best.accuracy])),
  );
  const offsetRows = results
    .map(({ result }) => perLabelOffsetBaseline(result))
    .filter((b) => b !== undefined);
  const rows = order.map((label) => {
    const accuracy = lookup.map((m) => m.get(label) ?? null);
    const first = accuracy[0] ?? null;
    const positional = offsetRows.find((b) => b.labels[label] !== undefined)?.labels[label];
    return {
      label,
      count: counts.get(label) as number,
      accuracy,
      delta: accuracy.map((a) => (a === null || first === null ? null : a - first)),
      ...(offsetRows.length > 0 ? { positional: positional ?? null } : {}),
    };
  });
  const rootExcluded = results.map(({ result }) => result.rootExcluded?.bestHead.accuracy ?? null);
  return {
    task,
    columns: results.map((r) => r.name),
    rows,
    macro: results.map((r) => r.result.macroBestAccuracy),
    bestHead: results.map((r) => r.result.bestHead.accuracy),
    ...(rootExcluded.some((a) => a !== null) ? { rootExcluded } : {}),
    below: results.slice(1).map((_, k) => rows.filter((row) => (row.delta[k + 1] ?? 0) < 0).length),
  };
}
