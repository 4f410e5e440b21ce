import { sharingTest, type SharingStatistic, type SharingTestResult } from '@stem/analyzer-pruning';
import { SeededRandom } from '@stem/core';
import { byPaperOrder } from './paper-order.js';
import type { GatesEntry } from './study-files.js';

/** One pruning run (`pruning/gates.json`) and whether its gates decided. */
export interface PruningRunLine {
  name: string;
  /** The pruned task (STL-DP) or the tasks of a multi-task pruning run joined by "+" (MTL-DP). */
  tasks: string;
  setting: 'STL-DP' | 'MTL-DP';
  seed?: number;
  /**
   * Final evaluation gates strictly between 0 and 1. 0: converged (every gate exactly 0 or
   * 1); otherwise the run stopped before its hard-concrete gates decided and its kept set is
   * not a pruning result, so claim 2 leaves it out.
   */
  undecided: number;
  heads: number;
}

/** Stem cells of one layer against what the uniform null expects there. */
export interface LayerProfile {
  /** 0-based. */
  layer: number;
  observed: number;
  /** The uniform null's mean number of stem cells in this layer. */
  expected: number;
  pAbove: number;
}

/**
 * Claim 2's evidence: the permutation test of head sharing over the converged STL-DP runs, with
 * the one stem-cell definition (analyzer-pruning's STEM_CELL_DEFINITION, in `test.definition`).
 */
export interface HeadSharing {
  test: SharingTestResult;
  /** 0-based layers in the middle half of the encoder. */
  middleLayers: number[];
  layers: LayerProfile[];
}

/** 10,000 draws pin a p-value near 0.05 to about ±0.004 (two binomial standard errors). */
export const SHARING_DRAWS = 10_000;
/** The report's own stream: the same runs always give the same p-values. */
export const SHARING_SEED = 1;
export const SHARING_STREAM = 'report/sharing';

/** 0-based layers whose centre lies strictly inside the middle half (4 layers: 2-3; 12: 4-9). */
export function middleLayers(layers: number): number[] {
  return Array.from({ length: layers }, (_, l) => l).filter(
    (l) => l + 0.5 > layers / 4 && l + 0.5 < (3 * layers) / 4,
  );
}

/** Every pruning run found, STL-DP first (in the paper's task order), with its undecided gates. */
export function pruningRunLines(gates: readonly GatesEntry[]): PruningRunLine[] {
  return gates
    .filter((entry) => entry.tasks.length > 0)
    .map((entry) => ({
      name: entry.name,
      tasks: [...entry.tasks].sort(byPaperOrder).join('+'),
      setting: entry.tasks.length === 1 ? ('STL-DP' as const) : ('MTL-DP' as const),
      ...(entry.seed !== undefined ? { seed: entry.seed } : {}),
      undecided: entry.undecided,
      heads: entry.gates.flat().length,
    }))
    .sort(
      (a, b) =>
        (a.setting === b.setting ? 0 : a.setting === 'STL-DP' ? -1 : 1) ||
        byPaperOrder(a.tasks, b.tasks) ||
        (a.seed ?? 0) - (b.seed ?? 0) ||
        a.name.localeCompare(b.name),
    );
}

/** The layer of a `claimed-by-all-in-layer-<l>` statistic (1-based in its id), else undefined. */
function layerOf(statistic: SharingStatistic): number | undefined {
  const match = /^claimed-by-all-in-layer-(\d+)$/.exec(statistic.id);
  return match ? Number(match[1]) - 1 : undefined;
}

/**
 * The sharing permutation test (analyzer-pruning) over the STL-DP runs that decided every
 * gate; undefined (with the reason in `problems`) when fewer than two tasks have such runs or
 * their gates differ in shape.
 */
export function headSharing(
  gates: readonly GatesEntry[],
  problems: string[],
): HeadSharing | undefined {
  const converged = gates
    .filter((g) => g.tasks.length === 1 && g.undecided === 0)
    .sort((a, b) => byPaperOrder(a.tasks[0]!, b.tasks[0]!) || a.name.localeCompare(b.name));
  const tasks = [...new Set(converged.map((g) => g.tasks[0]!))];
  if (tasks.length < 2) return undefined;
  const [first] = converged;
  const layers = first!.gates.length;
  const heads = first!.gates[0]?.length ?? 0;
  const mismatched = converged.filter(
    (g) => g.gates.length !== layers || g.gates.some((row) => row.length !== heads),
  );
  if (mismatched.length > 0) {
    problems.push(
      `head sharing: the gates of ${mismatched.map((g) => g.name).join(', ')} do not have ${first!.name}'s shape ${layers} x ${heads}; pruning runs of different encoders cannot be tested together`,
    );
    return undefined;
  }
  const test = sharingTest(
    converged.map((g) => ({ task: g.tasks[0]!, gates: g.gates })),
    {
      random: new SeededRandom(SHARING_SEED).fork(SHARING_STREAM),
      draws: SHARING_DRAWS,
      seed: SHARING_SEED,
    },
  );
  const profile: LayerProfile[] = [];
  for (const statistic of test.statistics) {
    const layer = layerOf(statistic);
    if (layer === undefined) continue;
    profile.push({
      layer,
      observed: statistic.observed,
      expected: statistic.uniform.mean,
      pAbove: statistic.uniform.pAbove,
    });
  }
  return {
    test,
    middleLayers: middleLayers(test.layers),
    layers: profile.sort((a, b) => a.layer - b.layer),
  };
}
