import { compareProbeResults } from '@stem/analyzer-probe';
import type { GatesEntry, OverlapEntry, ProbeEntry, RunEntry } from './study-files.js';
import type { Table } from './table.js';
import { offsetCell, positionalRow } from './probe-offsets.js';

/** Mean and sample standard deviation (n - 1); std is absent for one value. */
export function meanStd(values: readonly number[]): { mean: number; std?: number; n: number } {
  const n = values.length;
  const mean = values.reduce((a, b) => a + b, 0) / n;
  if (n < 2) return { mean, n };
  const variance = values.reduce((a, b) => a + (b - mean) ** 2, 0) / (n - 1);
  return { mean, std: Math.sqrt(variance), n };
}

/** "91.23 ± 0.45" (scaled by `scale`), or "91.23" for a single value. */
export function formatMeanStd(values: readonly number[], scale = 1, digits = 2): string {
  const { mean, std } = meanStd(values);
  const m = (mean * scale).toFixed(digits);
  return std === undefined ? m : `${m} ± ${(std * scale).toFixed(digits)}`;
}

/** STL = one task; MTL = several (named by their tasks); "-DP" for pruning runs (head gates). */
export function settingOf(tasks: readonly string[], pruned = false): string {
  const dp = pruned ? '-DP' : '';
  return tasks.length === 1 ? `STL${dp}` : `MTL${dp} ${[...tasks].sort().join('+')}`;
}

const percent = (value: number) => (100 * value).toFixed(2);
const headName = (layer: number, head: number) => `L${layer + 1}H${head + 1}`;

/**
 * Task scores per setting (STL, each MTL combination), mean ± std over seeds of the primary
 * test score (dev where a run has no test score), in %.
 */
export function scoreTable(runs: readonly RunEntry[]): Table | undefined {
  const scored = runs.filter((r) => Object.keys(r.scores).length > 0);
  if (scored.length === 0) return undefined;
  const settings = [...new Set(scored.map((r) => settingOf(r.tasks, r.pruned)))].sort((a, b) =>
    a === 'STL' ? -1 : b === 'STL' ? 1 : a.localeCompare(b),
  );
  const tasks = [...new Set(scored.flatMap((r) => Object.keys(r.scores)))].sort();
  const rows = tasks.map((task) => {
    const metric = scored.find((r) => r.scores[task])?.scores[task]?.metric ?? '';
    return [
      task,
      metric,
      ...settings.map((setting) => {
        const cell = scored
          .filter((r) => settingOf(r.tasks, r.pruned) === setting && r.scores[task])
          .map((r) => r.scores[task]!);
        if (cell.length === 0) return '-';
        // Say it in the cell when a score is not a test score, so no column mixes unseen.
        const dev = cell.filter((score) => score.split === 'dev').length;
        const split = dev === 0 ? '' : dev === cell.length ? ', dev' : `, ${dev} on dev`;
        return `${formatMeanStd(
          cell.map((score) => score.value),
          100,
        )} (n=${cell.length}${split})`;
      }),
    ];
  });
  const anyDev = scored.some((r) => Object.values(r.scores).some((s) => s.split === 'dev'));
  return {
    id: 'task-scores',
    title: 'Task scores (%), mean ± std over seeds',
    columns: ['task', 'metric', ...settings],
    rows,
    note: `Primary metric of each task on test (dev where a run has no test score); n = runs.${anyDev ? ' "dev" in a cell: those runs have no test score, so the cell is a dev score (pruning runs of the study presets score dev only).' : ''}${scored.some((r) => r.pruned) ? ' -DP: pruning runs (head gates, stem prune).' : ''}`,
  };
}

/**
 * Heads kept (evaluation gate > 1e-3) per pruned task set, mean ± std over seeds, and each
 * run's undecided gates (strictly between 0 and 1 at the final evaluation): a run with any has
 * not converged, and the head-sharing test (claim 2) leaves it out.
 */
export function keptHeadsTable(gates: readonly GatesEntry[]): Table | undefined {
  if (gates.length === 0) return undefined;
  const groups = new Map<string, GatesEntry[]>();
  for (const entry of gates) {
    const key = entry.tasks.length > 0 ? [...entry.tasks].sort().join('+') : entry.name;
    groups.set(key, [...(groups.get(key) ?? []), entry]);
  }
  return {
    id: 'kept-heads',
    title: 'Heads kept by pruning, mean ± std over seeds',
    columns: ['tasks', 'runs', 'kept heads', 'of', 'kept (%)', 'undecided gates per run'],
    rows: [...groups.entries()].map(([tasks, entries]) => {
      const total = entries[0]!.gates.flat().length;
      const undecided = entries
        .map((e) => `${e.undecided}${e.undecided > 0 ? '*' : ''}`)
        .join(', ');
      return [
        tasks,
        String(entries.length),
        formatMeanStd(
          entries.map((e) => e.keptHeads),
          1,
          1,
        ),
        String(total),
        formatMeanStd(
          entries.map((e) => e.keptHeads / total),
          100,
        ),
        undecided,
      ];
    }),
    note: 'Undecided gates: final evaluation gates strictly between 0 and 1. * marks a run that did not decide every gate: its kept set is not a pruning result, and the head-sharing test (claim 2) leaves it out.',
  };
}

/** Pearson r between tasks' mean gate vectors (diagonal: run agreement), from overlap.json. */
export function correlationTable(overlap: OverlapEntry, index: number): Table | undefined {
  const correlation = overlap.correlation;
  if (!correlation) return undefined;
  return {
    id: `gate-correlation-${index + 1}`,
    title: 'Correlation of head gates between tasks (Pearson r)',
    columns: ['', ...correlation.tasks],
    rows: correlation.tasks.map((task, i) => [
      task,
      ...correlation.tasks.map((_, j) => {
        const value = correlation.r[i]?.[j];
        return typeof value === 'number' ? value.toFixed(2) : '-';
      }),
    ]),
    note: "Off the diagonal: Pearson r of the tasks' mean gates over all (layer, head) values; diagonal: agreement of a task's runs.",
  };
}

/**
 * Per-label probe table of one task: one result gives label, count, best head and its
 * accuracy; several give each result's best-head accuracy and its difference to the first.
 */
export function probeTable(task: string, probes: readonly ProbeEntry[]): Table {
  if (probes.length === 1) {
    const { result, name } = probes[0]!;
    const positional = positionalRow(result);
    const extra = (cell: string) => (positional ? [cell] : []);
    const rows = result.labels.map((l) => [
      l.label,
      String(l.count),
      headName(l.best.layer, l.best.head),
      percent(l.best.accuracy),
      ...extra(positional ? offsetCell(positional, l.label) : ''),
    ]);
    rows.push([
      'macro (best per label)',
      String(result.items),
      '',
      percent(result.macroBestAccuracy),
      ...extra(''),
    ]);
    for (const baseline of result.baselines ?? [])
      rows.push([
        `baseline: ${baseline.name}`,
        String(result.items),
        '',
        percent(baseline.accuracy),
        ...extra(''),
      ]);
    return {
      id: `probe-${task}`,
      title: `${task.toUpperCase()} ${result.probe} probe (${name}): best head per label, accuracy (%)`,
      columns: ['label', 'count', 'best head', 'accuracy', ...extra('best fixed offset (offset)')],
      rows,
      note: `Scored on ${result.split}${result.fit ? `, centroids fitted on ${result.fit}` : ''}; heads L<layer>H<head> counted from 1.${positional ? ' Best fixed offset: every word points the same number of words away, the offset (in brackets) that finds most of the label, scored by the same rule as a head.' : ''}`,
    };
  }
  const comparison = compareProbeResults(probes.map((p) => ({ name: p.name, result: p.result })));
  const positional = comparison.rows.some((r) => r.positional !== undefined);
  const bestOf = probes.map((p) => new Map(p.result.labels.map((l) => [l.label, l.best])));
  const rows = comparison.rows.map((row) => [
    row.label,
    String(row.count),
    ...row.accuracy.map((a, k) => {
      const best = bestOf[k]!.get(row.label);
      return a === null || !best ? '-' : `${percent(a)} (${headName(best.layer, best.head)})`;
    }),
    ...row.delta.slice(1).map((d) => (d === null ? '-' : `${d >= 0 ? '+' : ''}${percent(d)}`)),
    ...(positional ? [row.positional == null ? '-' : percent(row.positional)] : []),
  ]);
  rows.push([
    'macro (best per label)',
    '',
    ...comparison.macro.map((m) => percent(m)),
    ...comparison.macro.slice(1).map((m) => {
      const d = m - comparison.macro[0]!;
      return `${d >= 0 ? '+' : ''}${percent(d)}`;
    }),
    ...(positional ? [''] : []),
  ]);
  return {
    id: `probe-${task}`,
    title: `${task.toUpperCase()} probe: best-head accuracy (%) per label`,
    columns: [
      'label',
      'count',
      ...comparison.columns,
      ...comparison.columns.slice(1).map((c) => `Δ ${c}`),
      ...(positional ? ['best fixed offset'] : []),
    ],
    rows,
    note: `Δ = difference to ${comparison.columns[0]}; ${comparison.columns
      .slice(1)
      .map((c, k) => `${c} is below on ${comparison.below[k]} of ${comparison.rows.length} labels`)
      .join(
        '; ',
      )}.${positional ? ' Best fixed offset: the positional reference of the label (every word points the same number of words away; no model).' : ''}`,
  };
}
