import { basename } from 'node:path';
import { SeededRandom } from '@stem/core';
import { headSetTest, type HeadSetTest } from './head-set-permutation.js';
import type { ConflictEntry, Study } from './study-files.js';

/** 10,000 draws, as the head-sharing test: a p-value near 0.05 to about ±0.004. */
export const CONFLICT_DRAWS = 10_000;
/** The report's own stream: the same measurements always give the same p-values. */
export const CONFLICT_SEED = 1;
export const CONFLICT_STREAM = 'report/conflict';
/** "Claimed by many tasks": heads at least this many tasks claim in the overlap analysis. */
export const CLAIMED_BY_AT_LEAST = 3;

type Head = { layer: number; head: number };

/** One head set against the other heads, on the mean conflict map. */
export interface ConflictHeadSet {
  name: string;
  /** How the set is made, in words. */
  definition: string;
  /** The test, or why there is none. */
  test: HeadSetTest | string;
}

/** Conflict over training at one update: means over the all-task runs measured there. */
export interface ConflictPoint {
  update: number;
  runs: number;
  /** Mean over every head. */
  all: number;
  /** Mean over the stem-cell heads and over the rest (absent without stem cells). */
  stemCells?: number;
  others?: number;
}

/**
 * The gradient-conflict meter's measurements of the study's all-task runs (MTL-5 with the
 * paper's tasks), averaged over measurements then runs (seeds), with the stem-cell comparison.
 */
export interface GradientConflict {
  /** Names of the runs averaged (their folders) and their tasks. */
  runs: string[];
  tasks: string[];
  measurements: number;
  /** [layer][head] mean fraction of tasks against the summed gradient. */
  meanConflict: number[][];
  /** Per task pair `"<a>|<b>"`: [layer][head] mean cosine (null: never measurable). */
  meanCosine: Record<string, Array<Array<number | null>>>;
  curve: ConflictPoint[];
  stemCells?: Head[];
  headSets: ConflictHeadSet[];
  seed: number;
  draws: number;
}

const mean = (values: readonly number[]) => values.reduce((s, v) => s + v, 0) / values.length;

function meanOrNull(values: ReadonlyArray<number | null | undefined>): number | null {
  const given = values.filter((v): v is number => typeof v === 'number' && Number.isFinite(v));
  return given.length === 0 ? null : mean(given);
}

/** [layer][head] mean of `pick` over the measurements of each run, then over the runs. */
function perHeadMean(
  runs: ReadonlyArray<readonly ConflictEntry[]>,
  pick: (cell: ConflictEntry['heads'][number][number]) => number | null,
): Array<Array<number | null>> {
  const shape = runs[0]![0]!.heads;
  return shape.map((row, l) =>
    row.map((_, h) =>
      meanOrNull(
        runs.map((measurements) => meanOrNull(measurements.map((m) => pick(m.heads[l]![h]!)))),
      ),
    ),
  );
}

const setOf = (heads: readonly Head[], layers: number, width: number): boolean[][] =>
  Array.from({ length: layers }, (_, l) =>
    Array.from({ length: width }, (_, h) => heads.some((c) => c.layer === l && c.head === h)),
  );

/**
 * The study's gradient conflict, undefined when no run has a measurement. Only the runs over
 * the most tasks (two at least) count; runs whose maps differ in shape from the first are left
 * out with a note in `problems`.
 */
export function gradientConflict(
  study: Study,
  stemCells: readonly Head[] | undefined,
  problems: string[],
): GradientConflict | undefined {
  const byRun = new Map<string, ConflictEntry[]>();
  for (const entry of study.conflicts ?? [])
    byRun.set(entry.runDirectory, [...(byRun.get(entry.runDirectory) ?? []), entry]);
  const most = Math.max(0, ...[...byRun.values()].map((m) => m[0]!.tasks.length));
  if (most < 2) return undefined;
  const first = [...byRun.values()].find((m) => m[0]!.tasks.length === most)![0]!;
  const layers = first.heads.length;
  const width = first.heads[0]!.length;
  const runs: Array<{ name: string; measurements: ConflictEntry[] }> = [];
  for (const [directory, measurements] of byRun) {
    if (measurements[0]!.tasks.length !== most) continue;
    const misshapen = measurements.filter(
      (m) => m.heads.length !== layers || m.heads.some((row) => row.length !== width),
    );
    if (misshapen.length > 0) {
      problems.push(
        `gradient conflict: ${misshapen.map((m) => m.file).join(', ')} not ${layers} x ${width} heads as ${first.file}; left out`,
      );
      continue;
    }
    runs.push({
      name: basename(directory),
      measurements: [...measurements].sort((a, b) => a.update - b.update),
    });
  }
  const lists = runs.map((r) => r.measurements);
  const meanConflict = perHeadMean(lists, (cell) => cell.conflict).map((row) =>
    row.map((v) => v ?? NaN),
  );
  const pairs = [...new Set(lists.flat().flatMap((m) => m.pairs))];
  const meanCosine = Object.fromEntries(
    pairs.map((pair) => [pair, perHeadMean(lists, (cell) => cell.cosine[pair] ?? null)]),
  );
  const stem = stemCells?.filter((c) => c.layer < layers && c.head < width);
  const inStem = stem && stem.length > 0 ? setOf(stem, layers, width) : undefined;
  const updates = [...new Set(lists.flat().map((m) => m.update))].sort((a, b) => a - b);
  const curve = updates.map((update): ConflictPoint => {
    const at = lists.flatMap((list) => list.filter((m) => m.update === update));
    const over = (keep: (l: number, h: number) => boolean) =>
      mean(
        at.map((m) =>
          mean(
            m.heads.flatMap((row, l) => row.filter((_, h) => keep(l, h)).map((c) => c.conflict)),
          ),
        ),
      );
    return {
      update,
      runs: at.length,
      all: over(() => true),
      ...(inStem
        ? { stemCells: over((l, h) => inStem[l]![h]!), others: over((l, h) => !inStem[l]![h]!) }
        : {}),
    };
  });
  const random = new SeededRandom(CONFLICT_SEED).fork(CONFLICT_STREAM);
  const test = (set: boolean[][]) =>
    headSetTest(meanConflict, set, { draws: CONFLICT_DRAWS, random });
  const headSets: ConflictHeadSet[] = [];
  const overlap = study.overlaps[0];
  headSets.push({
    name: 'stem cells',
    definition: overlap?.stemCellDefinition ?? 'heads claimed by every task compared',
    test: inStem ? test(inStem) : 'no stem cells (the overlap analysis found none, or is missing)',
  });
  const claimed = overlap?.claimedByTasks;
  if (claimed && overlap.perTask.length > CLAIMED_BY_AT_LEAST)
    headSets.push({
      name: `claimed by ≥ ${CLAIMED_BY_AT_LEAST} tasks`,
      definition: `heads at least ${CLAIMED_BY_AT_LEAST} of the ${overlap.perTask.length} tasks claim (overlap claimedByTasks)`,
      test: test(claimed.map((row) => row.map((n) => n >= CLAIMED_BY_AT_LEAST))),
    });
  return {
    runs: runs.map((r) => r.name),
    tasks: first.tasks,
    measurements: lists.flat().length,
    meanConflict,
    meanCosine,
    curve,
    ...(stem && stem.length > 0 ? { stemCells: stem } : {}),
    headSets,
    seed: CONFLICT_SEED,
    draws: CONFLICT_DRAWS,
  };
}
