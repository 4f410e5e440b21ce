import { HARD_CONCRETE, isKept, undecidedGateCount } from '../hard-concrete.js';
import { seedCoupling, type SeedCoupling } from './seed-coupling.js';
import { sharingTest, type SharingRandom, type SharingTestResult } from './sharing-test.js';
import { linearFit, mean, pearson } from './statistics.js';
import {
  STEM_CELL_DEFINITION,
  claimedByTaskCount,
  claimsByTask,
  stemCellHeads,
} from './stem-cells.js';

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
  /** `STEM_CELL_DEFINITION`, verbatim. */
  stemCellDefinition: string;
  /**
   * Heads claimed by every task compared (0-based layer and head); the tasks are the groups
   * given, an MTL group (tasks joined by "+") counting as one.
   */
  stemCells: Array<{ layer: number; head: number }>;
  /**
   * The permutation test of sharing over the single-task groups (STL-DP); absent with fewer
   * than two such tasks or without a random stream (`notes` says which).
   */
  sharing?: SharingTestResult;
  /** Same-seed vs different-seed gate correlation between runs of different tasks. */
  seedCoupling: SeedCoupling;
  /** Runs left out because some final gate is strictly between 0 and 1 (not settled). */
  excludedUndecided: Array<{ source: string; undecidedGates: number }>;
  correlation: {
    tasks: string[];
    /** Pearson r between the tasks' mean gate vectors; the diagonal holds `diagonal[i].value`. */
    r: Array<Array<number | null>>;
    diagonal: DiagonalEntry[];
  };
  notes: string[];
}

export interface OverlapOptions {
  /** Keep runs whose final gates are not all 0 or 1 (left out by default). */
  includeUndecided?: boolean;
  /** The sharing test's stream (core's SeededRandom); without it the test is skipped. */
  random?: SharingRandom;
  /** Permutation draws per null of the sharing test (10,000 by default). */
  draws?: number;
  /** The seed `random` came from, recorded in `sharing.seed`. */
  seed?: number;
}

/**
 * The stem-cell analysis of pruning runs (He & Choi 2021, head pruning and its overlap views):
 * per task the runs as one RGB map, the mean gate over every run of every task (not only the
 * last task's, the original script's bug), kept fractions, heads claimed by every task, the
 * Pearson r table between tasks' mean gate vectors whose diagonal is sqrt(adjusted R^2) of the
 * last run regressed on the others (Pearson r of the two runs when a task has only two), the
 * permutation test of sharing and the seed-coupling diagnostic. A run whose gates have not all
 * reached 0 or 1 is left out unless `includeUndecided`: "kept" (gate > 1e-3) of such a run
 * counts heads that its training had not yet decided.
 */
export function analyzeOverlap(
  allRuns: readonly PruningRunGates[],
  options: OverlapOptions = {},
): OverlapResult {
  if (allRuns.length === 0) throw new Error('overlap analysis needs at least one pruning run');
  const first = allRuns[0] as PruningRunGates;
  const layers = first.gates.length;
  const heads = first.gates[0]?.length ?? 0;
  for (const run of allRuns) {
    if (run.gates.length !== layers || run.gates.some((row) => row.length !== heads))
      throw new Error(
        `${run.source}: gates are ${run.gates.length} x ${run.gates[0]?.length ?? 0}, the first run's are ${layers} x ${heads}; compare runs of one encoder shape`,
      );
  }
  const notes: string[] = [];
  const undecided = allRuns.map((run) => undecidedGateCount(run.gates));
  const undecidedRuns = undecided.filter((count) => count > 0).length;
  const excludedUndecided = options.includeUndecided
    ? []
    : allRuns
        .map((run, i) => ({ source: run.source, undecidedGates: undecided[i] as number }))
        .filter((run) => run.undecidedGates > 0);
  const runs = options.includeUndecided
    ? allRuns
    : allRuns.filter((_, i) => (undecided[i] as number) === 0);
  if (excludedUndecided.length > 0)
    notes.push(
      `${excludedUndecided.length} of ${allRuns.length} run(s) left out: some final gates are strictly between 0 and 1 (training had not decided every head); pass includeUndecided (--include-undecided) to count them`,
    );
  else if (undecidedRuns > 0)
    notes.push(
      `${undecidedRuns} of ${allRuns.length} run(s) counted although some final gates are strictly between 0 and 1 (includeUndecided): their kept heads include heads training had not decided`,
    );
  if (runs.length === 0) {
    notes.push('no run with decided gates is left: nothing to compare');
    return emptyResult(layers, heads, excludedUndecided, notes);
  }

  const groups = new Map<string, PruningRunGates[]>();
  for (const run of runs) {
    const key = run.tasks.join('+');
    groups.set(key, [...(groups.get(key) ?? []), run]);
  }
  const kept = (g: number) => (isKept(g) ? 1 : 0);
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

  const claims = claimsByTask(
    runs.map((run) => ({
      task: run.tasks.join('+'),
      kept: run.gates.map((row) => row.map(isKept)),
    })),
  );
  const claimedByTasks = claimedByTaskCount(claims.claimed);
  const stemCells = stemCellHeads(claimedByTasks, claims.tasks.length);

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
  const sharing = sharingOf(runs, options, notes);
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
    stemCellDefinition: STEM_CELL_DEFINITION,
    stemCells,
    ...(sharing ? { sharing } : {}),
    seedCoupling: seedCoupling(runs),
    excludedUndecided,
    correlation: { tasks: tasks.map((t) => t.task), r, diagonal },
    notes,
  };
}

/** The sharing test over the single-task runs (an MTL run's tasks share one gate set). */
function sharingOf(
  runs: readonly PruningRunGates[],
  options: OverlapOptions,
  notes: string[],
): SharingTestResult | undefined {
  const single = runs.filter((run) => run.tasks.length === 1);
  const taskCount = new Set(single.map((run) => run.tasks[0])).size;
  if (taskCount < 2) {
    notes.push(
      `sharing test skipped: it compares single-task pruning runs of at least two tasks, got ${taskCount}`,
    );
    return undefined;
  }
  if (!options.random) {
    notes.push('sharing test skipped: no random stream given (options.random)');
    return undefined;
  }
  if (single.length < runs.length)
    notes.push('the sharing test counts the single-task runs only; MTL runs are left out of it');
  return sharingTest(
    single.map((run) => ({ task: run.tasks[0] as string, gates: run.gates })),
    {
      random: options.random,
      ...(options.draws !== undefined ? { draws: options.draws } : {}),
      seed: options.seed ?? 0,
    },
  );
}

/** What the analysis says when no run is left to compare: the shape, and why. */
function emptyResult(
  layers: number,
  heads: number,
  excludedUndecided: OverlapResult['excludedUndecided'],
  notes: string[],
): OverlapResult {
  return {
    layers,
    heads,
    keepThreshold: HARD_CONCRETE.keepThreshold,
    tasks: [],
    meanGates: [],
    keptFractionPerLayer: [],
    claimedByTasks: [],
    stemCellDefinition: STEM_CELL_DEFINITION,
    stemCells: [],
    seedCoupling: seedCoupling([]),
    excludedUndecided,
    correlation: { tasks: [], r: [], diagonal: [] },
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
