import { headAgreement, taskPairs } from './conflict-statistics.js';
import { headSlice, type GradientArray, type HeadLayout } from './head-slices.js';

/** One head's agreement with task-keyed maps, as written to JSON. */
export interface HeadConflict {
  /** L2 norm of each task's gradient slice on this head. */
  norms: Record<string, number>;
  /** Cosine per task pair `"<a>|<b>"` (config order); null when a slice is zero. */
  cosine: Record<string, number | null>;
  /** Fraction of tasks whose slice points against the task-summed gradient. */
  conflict: number;
  /** Each task's share of the summed slice norms on this head. */
  shares: Record<string, number>;
}

/** One measurement: `analyses/conflict/update-<n>.json`. */
export interface ConflictMeasurement {
  /** Optimiser updates applied when the gradients were taken (the parameters of that moment). */
  update: number;
  step: number;
  tasks: string[];
  /** The task pairs of `cosine`, `"<a>|<b>"`. */
  pairs: string[];
  /** Each task's loss on its probe batch. */
  losses: Record<string, number>;
  /** Sentences in each task's probe batch. */
  probeSentences: Record<string, number>;
  /** Gradient keys of gates added to the slices (empty without gates). */
  gates: string[];
  /** [layer][head]. */
  heads: HeadConflict[][];
  /** Means over heads: conflict, and cosine per pair (heads with a zero slice left out). */
  summary: { meanConflict: number; meanCosine: Record<string, number | null> };
}

/** Per-head agreement of the tasks' gradients (`gradients` in task order). */
export function measureConflict(
  input: {
    update: number;
    step: number;
    tasks: readonly string[];
    losses: readonly number[];
    probeSentences: readonly number[];
  },
  gradients: ReadonlyArray<Readonly<Record<string, GradientArray>>>,
  layout: HeadLayout,
): ConflictMeasurement {
  const { tasks } = input;
  const pairs = taskPairs(tasks.length).map(([i, j]) => `${tasks[i]}|${tasks[j]}`);
  const byTask = <T>(values: readonly T[]) =>
    Object.fromEntries(tasks.map((task, t) => [task, values[t] as T]));
  const heads: HeadConflict[][] = [];
  for (let layer = 0; layer < layout.layers; layer++) {
    const row: HeadConflict[] = [];
    for (let head = 0; head < layout.heads; head++) {
      const agreement = headAgreement(
        gradients.map((taskGradients) => headSlice(taskGradients, layout, layer, head)),
      );
      row.push({
        norms: byTask(agreement.norms),
        cosine: Object.fromEntries(pairs.map((pair, p) => [pair, agreement.cosines[p] ?? null])),
        conflict: agreement.conflict,
        shares: byTask(agreement.shares),
      });
    }
    heads.push(row);
  }
  const flat = heads.flat();
  const meanCosine = Object.fromEntries(
    pairs.map((pair) => {
      const values = flat.map((h) => h.cosine[pair]).filter((c): c is number => c !== null);
      return [pair, values.length === 0 ? null : mean(values)];
    }),
  );
  return {
    update: input.update,
    step: input.step,
    tasks: [...tasks],
    pairs,
    losses: byTask(input.losses),
    probeSentences: byTask(input.probeSentences),
    gates: [...layout.gateKeys],
    heads,
    summary: { meanConflict: mean(flat.map((h) => h.conflict)), meanCosine },
  };
}

function mean(values: readonly number[]): number {
  return values.length === 0 ? 0 : values.reduce((s, v) => s + v, 0) / values.length;
}
