import { HARD_CONCRETE } from '../hard-concrete.js';
import { linearFit, mean, pearson } from './statistics.js';

/** One pruning run: its task(s) and final evaluation gates [layers][heads]. */
export interface PruningRunGates {
  /** Where it came from (a run directory). */
  source: string;
  /** The run's task names; an MTL run is grouped under its tasks joined by "+". */
  tasks: readonly string[];
  seed?: number;
  gates: number[][];
}

export interface TaskOverlap {
  task: string;
  runs: string[];
  /** [layers][heads][r, g, b] in [0, 1]: channel k = 1 - gate of run k (black = kept by all). */
  rgb: number[][][];
  /** Which run each channel shows; a missing third run repeats the mean of the others. */
  channels: string[];
  meanGates: number[][];
  /** Fraction of heads kept (gate > 1e-3), per run and averaged over runs. */
  keptFractionPerRun: number[];
  keptFraction: number;
  /** Per layer, the fraction of heads kept, averaged over runs. */
  keptFractionPerLayer: number[];
  /** [layers][heads] fraction of runs that kept the head. */
  keptByRuns: number[][];
}

export interface DiagonalEntry {
  task: string;
  value: number | null;
  method: 'sqrt-adjusted-r2' | 'pearson-two-runs' | 'none';
  note?: string;
  adjustedRSquared?: number;
}

export interface OverlapResult {
  layers: number;
  heads: number;
  keepThreshold: number;
  tasks: TaskOverlap[];
  /** Mean gate over every run of every task. */
  meanGates: number[][];
  /** Per layer, the fraction of heads kept averaged over every run of every task. */
  keptFractionPerLayer: number[];
  /** [layers][heads] number of tasks that claim the head (kept in at least half its runs). */
  claimedByTasks: number[][];
  /** Heads claimed by every task (0-based layer and head). */
  stemCells: Array<{ layer: number; head: number }>;
  correlation: {
    tasks: string[];
    /** Pearson r between the tasks' mean gate vectors; the diagonal holds `diagonal[i].value`. */
    r: Array<Array<number | null>>;
    diagonal: DiagonalEntry[];
  };
  notes: string[];
}

/**
 * The stem-cell analysis of pruning runs (PAPER.md, "Pruning", overlap views): per task the
 * runs as one RGB map, the mean gate over every run of every task (not only the last task's,
 * the original script's bug), kept fractions, heads claimed by every task, and the Pearson r
 * table between tasks' mean gate vectors whose diagonal is sqrt(adjusted R^2) of the last
 * run regressed on the others (Pearson r of the two runs when a task has only two).
 */
export function analyzeOverlap(runs: readonly PruningRunGates[]): OverlapResult {
  if (runs.length === 0) throw new Error('overlap analysis needs at least one pruning run');
  const first = runs[0] as PruningRunGates;
  const layers = first.gates.length;
  const heads = first.gates[0]?.length ?? 0;
  for (const run of runs) {
    if (run.gates.length !== layers || run.gates.some((row) => row.length !== heads))
      throw new Error(
        `${run.source}: gates are ${run.gates.length} x ${run.gates[0]?.length ?? 0}, the first run's are ${layers} x ${heads}; compare runs of one encoder shape`,
      );
  }
  const notes: string[] = [];
  const groups = new Map<string, PruningRunGates[]>();
  for (const run of runs) {
    const key = run.tasks.join('+');
    groups.set(key, [...(groups.get(key) ?? []), run]);
  }
  const kept = (g: number) => (g > HARD_CONCRETE.keepThreshold ? 1 : 0);
  const grid = <T>(cell: (l: number, h: number) => T): T[][] =>
    Array.from({ length: layers }, (_, l) => Array.from({ length: heads }, (_, h) => cell(l, h)));

  const tasks: TaskOverlap[] = [...groups.entries()].map(([task, group]) => {
    if (group.length > 3)
      notes.push(`${task}: ${group.length} runs; the RGB map shows the first three`);
    const shown = group.slice(0, 3);
    const channels = shown.map((r) => r.source);
    const rgb = grid((l, h) => {
      const closed = shown.map((r) => 1 - (r.gates[l]?.[h] as number));
      while (closed.length < 3) closed.push(mean(closed));
      return closed;
    });
    const keptFractionPerRun = group.map(
      (r) => r.gates.flat().reduce((n, g) => n + kept(g), 0) / (layers * heads),
    );
    return {
      task,
      runs: group.map((r) => r.source),
      rgb,
      channels,
      meanGates: grid((l, h) => mean(group.map((r) => r.gates[l]?.[h] as number))),
      keptFractionPerRun,
      keptFraction: mean(keptFractionPerRun),
      keptFractionPerLayer: Array.from({ length: layers }, (_, l) =>
        mean(group.map((r) => (r.gates[l] as number[]).reduce((n, g) => n + kept(g), 0) / heads)),
      ),
      keptByRuns: grid((l, h) => mean(group.map((r) => kept(r.gates[l]?.[h] as number)))),
    };
  });

  const claimedByTasks = grid((l, h) =>
    tasks.reduce((n, t) => n + ((t.keptByRuns[l]?.[h] as number) >= 0.5 ? 1 : 0), 0),
  );
  const stemCells = claimedByTasks
    .flatMap((row, layer) => row.map((count, head) => ({ layer, head, count })))
    .filter((cell) => cell.count === tasks.length)
    .map(({ layer, head }) => ({ layer, head }));

  const vectors = tasks.map((t) => t.meanGates.flat());
  const diagonal = [...groups.entries()].map(([task, group]) => diagonalOf(task, group));
  const r = tasks.map((_, i) =>
    tasks.map((__, j) =>
      i === j
        ? (diagonal[i]?.value ?? null)
        : pearson(vectors[i] as number[], vectors[j] as number[]),
    ),
  );
  if (r.some((row, i) => row.some((v, j) => i !== j && v === null)))
    notes.push('a null off-diagonal r: that task kept (or pruned) every head, r is undefined');
  return {
    layers,
    heads,
    keepThreshold: HARD_CONCRETE.keepThreshold,
    tasks,
    meanGates: grid((l, h) => mean(runs.map((run) => run.gates[l]?.[h] as number))),
    keptFractionPerLayer: Array.from({ length: layers }, (_, l) =>
      mean(runs.map((run) => (run.gates[l] as number[]).reduce((n, g) => n + kept(g), 0) / heads)),
    ),
    claimedByTasks,
    stemCells,
    correlation: { tasks: tasks.map((t) => t.task), r, diagonal },
    notes,
  };
}

/** How well a task's runs agree: sqrt(adjusted R^2) of its last run on the others. */
function diagonalOf(task: string, group: readonly PruningRunGates[]): DiagonalEntry {
  if (group.length < 2)
    return { task, value: null, method: 'none', note: 'one run: nothing to compare' };
  const y = (group[group.length - 1] as PruningRunGates).gates.flat();
  const others = group.slice(0, -1).map((r) => r.gates.flat());
  if (group.length === 2) {
    return {
      task,
      value: pearson(others[0] as number[], y),
      method: 'pearson-two-runs',
      note: 'two runs: Pearson r between them instead of sqrt(adjusted R^2)',
    };
  }
  const fit = linearFit(y, others);
  if (!fit)
    return {
      task,
      value: null,
      method: 'sqrt-adjusted-r2',
      note: 'the regression is undefined (a constant or collinear gate vector)',
    };
  const negative = fit.adjustedRSquared < 0;
  return {
    task,
    value: Math.sqrt(Math.max(0, fit.adjustedRSquared)),
    method: 'sqrt-adjusted-r2',
    adjustedRSquared: fit.adjustedRSquared,
    ...(negative ? { note: 'adjusted R^2 is negative; shown as 0' } : {}),
  };
}
