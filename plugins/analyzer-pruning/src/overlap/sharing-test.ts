import { isKept } from '../hard-concrete.js';
import { KeptHeadSampler, type SharingRandom } from './null-draws.js';
import { STEM_CELL_DEFINITION } from './stem-cells.js';

export type { SharingRandom } from './null-draws.js';

/** Where an observed statistic falls in one null distribution. */
export interface NullSummary {
  mean: number;
  /** 2.5% quantile of the null (linear interpolation between order statistics). */
  low: number;
  /** 97.5% quantile of the null. */
  high: number;
  /** One-sided P(null >= observed) = (1 + #{null >= observed}) / (1 + draws). */
  pAbove: number;
  /** One-sided P(null <= observed) = (1 + #{null <= observed}) / (1 + draws). */
  pBelow: number;
}

export interface SharingStatistic {
  /**
   * 'claimed-by-all' | 'claimed-by-at-least-<k>' (k = 1..n) | 'mean-pairwise-jaccard' |
   * 'claimed-by-all-in-layer-<l>' (l 1-based).
   */
  id: string;
  label: string;
  observed: number;
  /** Each run keeps its number of heads, placed uniformly at random over all heads. */
  uniform: NullSummary;
  /** Each run keeps its number of heads per layer, placed at random within each layer. */
  withinLayer: NullSummary;
  /**
   * Each task's observed claimed set, its size kept, placed uniformly at random (the same
   * shuffle for all of a task's runs). Unlike the run-level nulls it keeps how well a task's
   * runs agree: run-level nulls make claims of tasks keeping under half their heads smaller
   * (and over half larger) than runs that agree would, which shifts claimed-by-all on its own.
   */
  claimsUniform: NullSummary;
  /** As `claimsUniform`, keeping each task's number of claimed heads per layer. */
  claimsWithinLayer: NullSummary;
}

export interface SharingTestResult {
  definition: string;
  draws: number;
  seed: number;
  tasks: Array<{ task: string; runs: number; claimed: number }>;
  layers: number;
  /** Heads per layer. */
  heads: number;
  stemCells: Array<{ layer: number; head: number }>;
  statistics: SharingStatistic[];
  notes: string[];
}

export interface SharingTestOptions {
  random: SharingRandom;
  /** Permutation draws per null; 10,000 by default. */
  draws?: number;
  /** The seed `random` was made from: recorded in the result, not used. */
  seed: number;
}

export const DEFAULT_SHARING_DRAWS = 10_000;

/** Two floats this close count as equal when the p-values count ties. */
const TIE_TOLERANCE = 1e-12;

/**
 * Do tasks claim the same heads more often than chance? (He & Choi 2021's stem-cell claim.)
 * A permutation test: under each null every run keeps as many heads as it really kept (overall,
 * or per layer for the within-layer null), at random and independently of every other run;
 * task claims and the statistics are then recomputed exactly as for the observed runs. Keeping
 * each run's own count matters: when tasks keep most heads, heads claimed by "at least k of n"
 * tasks can fall BELOW chance precisely when tasks agree (nested head sets), so the statistics
 * that speak to sharing are claimed-by-all and the mean pairwise Jaccard index, read with
 * `pAbove`. Two further nulls (`claimsUniform`, `claimsWithinLayer`) place each task's
 * observed claimed set at random instead, so that agreement between a task's own runs is not
 * mistaken for sharing between tasks.
 */
export function sharingTest(
  runs: ReadonlyArray<{ task: string; gates: number[][] }>,
  options: SharingTestOptions,
): SharingTestResult {
  const draws = options.draws ?? DEFAULT_SHARING_DRAWS;
  if (!Number.isInteger(draws) || draws < 1)
    throw new Error(`sharingTest: draws must be a positive integer, got ${draws}`);
  const layout = layoutOf(runs);
  const { layers, heads, taskNames } = layout;
  if (taskNames.length < 2)
    throw new Error(
      `sharingTest: needs runs of at least two tasks, got ${taskNames.length} (${taskNames.join(', ') || 'none'})`,
    );
  if (taskNames.length > 30)
    throw new Error(`sharingTest: at most 30 tasks (a bit mask per head), got ${taskNames.length}`);

  const counter = new ClaimCounter(layout);
  const ids = statisticIds(taskNames.length, layers);
  const observed = new Float64Array(ids.length);
  counter.reset();
  layout.keptHeads.forEach((kept, r) => counter.addRun(r, kept, kept.length));
  counter.statistics(observed);
  const claimedSizes = [...counter.taskSizes];
  const stemCells = counter.stemCells();
  // Each task's observed claimed set as if it were the task's only run: the claim-level nulls
  // place these sets at random, keeping how well each task's runs agree with each other.
  const claimsLayout = counter.claimsAsRuns();
  const claimsCounter = new ClaimCounter(claimsLayout);

  const sampler = new KeptHeadSampler(layers, heads, options.random);
  const drawn = new Int32Array(layers * heads);
  const nullValues = (
    source: RunLayout,
    sourceCounter: ClaimCounter,
    placement: 'uniform' | 'within-layer',
  ): Float64Array[] => {
    const values = ids.map(() => new Float64Array(draws));
    const row = new Float64Array(ids.length);
    for (let d = 0; d < draws; d++) {
      sourceCounter.reset();
      for (let r = 0; r < source.runTask.length; r++) {
        const count =
          placement === 'uniform'
            ? sampler.drawUniform((source.keptHeads[r] as Int32Array).length, drawn)
            : sampler.drawWithinLayer(source.keptPerLayer[r] as Int32Array, drawn);
        sourceCounter.addRun(r, drawn, count);
      }
      sourceCounter.statistics(row);
      for (let s = 0; s < ids.length; s++) (values[s] as Float64Array)[d] = row[s] as number;
    }
    return values;
  };
  const uniform = nullValues(layout, counter, 'uniform');
  const withinLayer = nullValues(layout, counter, 'within-layer');
  const claimsUniform = nullValues(claimsLayout, claimsCounter, 'uniform');
  const claimsWithinLayer = nullValues(claimsLayout, claimsCounter, 'within-layer');

  const statistics = ids.map(({ id, label }, s) => {
    const value = observed[s] as number;
    return {
      id,
      label,
      observed: value,
      uniform: summarise(uniform[s] as Float64Array, value),
      withinLayer: summarise(withinLayer[s] as Float64Array, value),
      claimsUniform: summarise(claimsUniform[s] as Float64Array, value),
      claimsWithinLayer: summarise(claimsWithinLayer[s] as Float64Array, value),
    };
  });
  const tasks = taskNames.map((task, t) => ({
    task,
    runs: layout.runsPerTask[t] as number,
    claimed: claimedSizes[t] as number,
  }));
  return {
    definition: STEM_CELL_DEFINITION,
    draws,
    seed: options.seed,
    tasks,
    layers,
    heads,
    stemCells,
    statistics,
    notes: notesOf(tasks, layers * heads),
  };
}

/** The runs as typed arrays: task index, kept heads (indices) and kept count per layer. */
interface RunLayout {
  layers: number;
  heads: number;
  taskNames: string[];
  runsPerTask: number[];
  runTask: Int32Array;
  keptHeads: Int32Array[];
  keptPerLayer: Int32Array[];
}

function layoutOf(runs: ReadonlyArray<{ task: string; gates: number[][] }>): RunLayout {
  const layers = runs[0]?.gates.length ?? 0;
  const heads = runs[0]?.gates[0]?.length ?? 0;
  const taskNames: string[] = [];
  const runsPerTask: number[] = [];
  const runTask = new Int32Array(runs.length);
  const keptHeads: Int32Array[] = [];
  const keptPerLayer: Int32Array[] = [];
  runs.forEach((run, r) => {
    if (run.gates.length !== layers || run.gates.some((row) => row.length !== heads))
      throw new Error(
        `sharingTest: a ${run.task} run's gates are ${run.gates.length} x ${run.gates[0]?.length ?? 0}, the first run's ${layers} x ${heads}`,
      );
    let t = taskNames.indexOf(run.task);
    if (t < 0) {
      t = taskNames.push(run.task) - 1;
      runsPerTask.push(0);
    }
    runsPerTask[t] = (runsPerTask[t] as number) + 1;
    runTask[r] = t;
    const kept: number[] = [];
    const perLayer = new Int32Array(layers);
    run.gates.forEach((row, l) =>
      row.forEach((gate, h) => {
        if (!isKept(gate)) return;
        kept.push(l * heads + h);
        perLayer[l] = (perLayer[l] as number) + 1;
      }),
    );
    keptHeads.push(Int32Array.from(kept));
    keptPerLayer.push(perLayer);
  });
  return { layers, heads, taskNames, runsPerTask, runTask, keptHeads, keptPerLayer };
}

function statisticIds(tasks: number, layers: number): Array<{ id: string; label: string }> {
  return [
    { id: 'claimed-by-all', label: `heads claimed by all ${tasks} tasks (stem cells)` },
    ...Array.from({ length: tasks }, (_, i) => ({
      id: `claimed-by-at-least-${i + 1}`,
      label: `heads claimed by at least ${i + 1} of ${tasks} tasks`,
    })),
    {
      id: 'mean-pairwise-jaccard',
      label: "mean Jaccard index of two tasks' claimed head sets, over task pairs",
    },
    ...Array.from({ length: layers }, (_, l) => ({
      id: `claimed-by-all-in-layer-${l + 1}`,
      label: `heads of layer ${l + 1} claimed by all ${tasks} tasks`,
    })),
  ];
}

/**
 * Accumulates kept heads per task, then turns them into claims (kept in at least half the
 * task's runs) and the statistics, in the order of `statisticIds`. Reused across draws.
 */
class ClaimCounter {
  private readonly keptCounts: Uint16Array;
  /** Per head, bit t set when task t claims it. */
  private readonly claimMask: Int32Array;
  readonly taskSizes: Int32Array;
  private readonly intersections: Int32Array;
  private readonly tasks: number;
  private readonly total: number;

  constructor(private readonly layout: RunLayout) {
    this.tasks = layout.taskNames.length;
    this.total = layout.layers * layout.heads;
    this.keptCounts = new Uint16Array(this.tasks * this.total);
    this.claimMask = new Int32Array(this.total);
    this.taskSizes = new Int32Array(this.tasks);
    this.intersections = new Int32Array(this.tasks * this.tasks);
  }

  reset(): void {
    this.keptCounts.fill(0);
  }

  addRun(run: number, kept: Int32Array, count: number): void {
    const offset = (this.layout.runTask[run] as number) * this.total;
    for (let i = 0; i < count; i++) this.keptCounts[offset + (kept[i] as number)]! += 1;
  }

  statistics(into: Float64Array): void {
    const { tasks, total } = this;
    const { heads, runsPerTask } = this.layout;
    this.claimMask.fill(0);
    this.taskSizes.fill(0);
    this.intersections.fill(0);
    for (let t = 0; t < tasks; t++) {
      const runs = runsPerTask[t] as number;
      const offset = t * total;
      for (let i = 0; i < total; i++)
        if (2 * (this.keptCounts[offset + i] as number) >= runs) {
          this.claimMask[i]! |= 1 << t;
          this.taskSizes[t]! += 1;
        }
    }
    // into: [all, at least 1..n, jaccard, all in layer 1..L]
    const atLeastStart = 1;
    const jaccardAt = 1 + tasks;
    const layerStart = 2 + tasks;
    into.fill(0);
    for (let i = 0; i < total; i++) {
      const mask = this.claimMask[i] as number;
      if (mask === 0) continue;
      const claimedBy = bitCount(mask);
      for (let k = 1; k <= claimedBy; k++) into[atLeastStart + k - 1]! += 1;
      if (claimedBy === tasks) into[layerStart + Math.floor(i / heads)]! += 1;
      if (claimedBy < 2) continue;
      for (let a = 0; a < tasks; a++) {
        if (!(mask & (1 << a))) continue;
        for (let b = a + 1; b < tasks; b++)
          if (mask & (1 << b)) this.intersections[a * tasks + b]! += 1;
      }
    }
    into[0] = into[atLeastStart + tasks - 1] as number;
    let jaccardSum = 0;
    for (let a = 0; a < tasks; a++)
      for (let b = a + 1; b < tasks; b++) {
        const shared = this.intersections[a * tasks + b] as number;
        const union = (this.taskSizes[a] as number) + (this.taskSizes[b] as number) - shared;
        // Two empty claimed sets share nothing: Jaccard 0 (it is undefined).
        jaccardSum += union === 0 ? 0 : shared / union;
      }
    into[jaccardAt] = jaccardSum / ((tasks * (tasks - 1)) / 2);
  }

  /** The current claims as a layout of one run per task whose kept heads are its claims. */
  claimsAsRuns(): RunLayout {
    const { layers, heads, taskNames } = this.layout;
    const keptHeads: Int32Array[] = [];
    const keptPerLayer: Int32Array[] = [];
    for (let t = 0; t < this.tasks; t++) {
      const claimed: number[] = [];
      const perLayer = new Int32Array(layers);
      for (let i = 0; i < this.total; i++)
        if ((this.claimMask[i] as number) & (1 << t)) {
          claimed.push(i);
          perLayer[Math.floor(i / heads)]! += 1;
        }
      keptHeads.push(Int32Array.from(claimed));
      keptPerLayer.push(perLayer);
    }
    return {
      layers,
      heads,
      taskNames,
      runsPerTask: taskNames.map(() => 1),
      runTask: Int32Array.from(taskNames, (_, t) => t),
      keptHeads,
      keptPerLayer,
    };
  }

  stemCells(): Array<{ layer: number; head: number }> {
    const everyTask = (1 << this.tasks) - 1;
    const cells: Array<{ layer: number; head: number }> = [];
    for (let i = 0; i < this.total; i++)
      if (this.claimMask[i] === everyTask)
        cells.push({ layer: Math.floor(i / this.layout.heads), head: i % this.layout.heads });
    return cells;
  }
}

function bitCount(mask: number): number {
  let count = 0;
  for (let m = mask; m !== 0; m &= m - 1) count += 1;
  return count;
}

function summarise(values: Float64Array, observed: number): NullSummary {
  const sorted = Float64Array.from(values).sort();
  let sum = 0;
  let atOrAbove = 0;
  let atOrBelow = 0;
  for (const v of sorted) {
    sum += v;
    if (v >= observed - TIE_TOLERANCE) atOrAbove += 1;
    if (v <= observed + TIE_TOLERANCE) atOrBelow += 1;
  }
  const n = sorted.length;
  return {
    mean: sum / n,
    low: quantile(sorted, 0.025),
    high: quantile(sorted, 0.975),
    pAbove: (1 + atOrAbove) / (1 + n),
    pBelow: (1 + atOrBelow) / (1 + n),
  };
}

/** Quantile of sorted values, linear between order statistics (Hyndman & Fan type 7). */
function quantile(sorted: Float64Array, p: number): number {
  const position = (sorted.length - 1) * p;
  const below = Math.floor(position);
  const above = Math.min(sorted.length - 1, below + 1);
  const lower = sorted[below] as number;
  return lower + ((sorted[above] as number) - lower) * (position - below);
}

function notesOf(tasks: SharingTestResult['tasks'], totalHeads: number): string[] {
  const notes = [
    'p-values are one-sided permutation p-values, (1 + #{null >= observed}) / (1 + draws) for pAbove; sharing beyond chance shows as a small pAbove of claimed-by-all or mean-pairwise-jaccard',
    'claimed-by-at-least-k for k below the number of tasks is not a test of sharing: when tasks keep most heads, tasks that agree (nested head sets) LOWER it',
    "uniform and withinLayer place each run's kept heads at random, so a task's runs disagree under them; claimsUniform and claimsWithinLayer place each task's observed claimed set at random, keeping the agreement of its runs: read sharing from both",
  ];
  for (const task of tasks) {
    if (task.claimed === 0) notes.push(`${task.task} claims no head: nothing can be shared`);
    else if (task.claimed === totalHeads)
      notes.push(`${task.task} claims every head: it shares whatever the others claim`);
  }
  const runCounts = new Set(tasks.map((t) => t.runs));
  if (runCounts.size > 1)
    notes.push(
      `tasks have different numbers of runs (${tasks.map((t) => `${t.task} ${t.runs}`).join(', ')}); "at least half" is per task`,
    );
  return notes;
}
