import type { NullSummary, SharingStatistic } from '@stem/analyzer-pruning';
import { pText, type ClaimVerdict } from './claim-verdict.js';
import type { HeadSharing, PruningRunLine } from './head-sharing.js';
import { hypergeometricAtLeast } from './hypergeometric.js';
import type { StudyHeadline } from './study-headline.js';

/** A statistic beyond chance: its p-value under a null below this. */
export const SHARING_LEVEL = 0.05;

/** A count as it is ("8"), a mean or a Jaccard index to two decimals ("0.21"). */
export const countText = (value: number) =>
  Number.isInteger(value) ? String(value) : value.toFixed(2);
const count = countText;

/**
 * The nulls of the sharing test, each a way chance could place the kept heads: run-level
 * (each run's kept heads at random, over all heads or within each layer) and claim-level (each
 * task's claimed set at random, keeping how well its own runs agree). Sharing is above chance
 * only when it is above every one of them.
 */
const NULLS = [
  ['uniform', 'uniform'],
  ['withinLayer', 'within-layer'],
  ['claimsUniform', 'task claims uniform'],
  ['claimsWithinLayer', 'task claims within-layer'],
] as const;

function nullsOf(statistic: SharingStatistic): Array<[string, NullSummary]> {
  return NULLS.map(([key, name]) => [name, statistic[key]]);
}

function nullText(name: string, summary: NullSummary): string {
  return `${name} ${count(summary.mean)} [${count(summary.low)}, ${count(summary.high)}] p(≥) ${pText(summary.pAbove)}, p(≤) ${pText(summary.pBelow)}`;
}

/** "heads claimed by all 5 tasks: observed 14; null mean [95%] p: uniform 10.2 [7, 13] ...". */
export function statisticText(statistic: SharingStatistic): string {
  return `${statistic.label}: observed ${count(statistic.observed)}; null mean [95%] and one-sided p: ${nullsOf(
    statistic,
  )
    .map(([name, summary]) => nullText(name, summary))
    .join('; ')}`;
}

/**
 * The statistics the report prints: claimed by all tasks (the test of sharing), claimed by at
 * least k for k from a majority of the tasks up (the paper's "most tasks"; not a test of
 * sharing on its own, see the test's notes) and the mean pairwise Jaccard index.
 */
export function countStatistics(sharing: HeadSharing): SharingStatistic[] {
  const majority = Math.floor(sharing.test.tasks.length / 2) + 1;
  return sharing.test.statistics.filter((s) => {
    const k = /^claimed-by-at-least-(\d+)$/.exec(s.id);
    if (k) return Number(k[1]) >= majority && Number(k[1]) < sharing.test.tasks.length;
    return s.id === 'claimed-by-all' || s.id === 'mean-pairwise-jaccard';
  });
}

/** "stl-dp-pos-s1 12, stl-dp-ner-s2 3": runs whose final evaluation gates did not all decide. */
export function undecidedText(runs: readonly PruningRunLine[]): string {
  return runs
    .filter((r) => r.undecided > 0)
    .map((r) => `${r.name} ${r.undecided}`)
    .join(', ');
}

/** Where the stem cells sit: in the middle layers, against the uniform null's layer profile. */
interface MiddleLayers {
  observed: number;
  of: number;
  /** The uniform null's expected share of stem cells in the middle layers. */
  expectedShare: number;
  /** More than half of the stem cells in the middle layers, and a larger share than chance. */
  more: boolean;
  /** P(at least `observed` of the stem cells in the middle layers) were they placed at random. */
  pMiddle: number;
  /** `more`, and beyond chance (pMiddle < 0.05). */
  mostly: boolean;
}

function middleOf(sharing: HeadSharing): MiddleLayers {
  const cells = sharing.test.stemCells;
  const observed = cells.filter((c) => sharing.middleLayers.includes(c.layer)).length;
  const expectedAll = sharing.layers.reduce((a, l) => a + l.expected, 0);
  const expectedMiddle = sharing.layers
    .filter((l) => sharing.middleLayers.includes(l.layer))
    .reduce((a, l) => a + l.expected, 0);
  // Without a layer profile the uniform null spreads stem cells as it spreads heads.
  const expectedShare =
    expectedAll > 0
      ? expectedMiddle / expectedAll
      : sharing.middleLayers.length / sharing.test.layers;
  // Given the stem cells, how many chance puts in the middle layers: hypergeometric over heads.
  const headsPerLayer = sharing.test.heads;
  const pMiddle = hypergeometricAtLeast(
    observed,
    sharing.test.layers * headsPerLayer,
    sharing.middleLayers.length * headsPerLayer,
    cells.length,
  );
  const more =
    cells.length > 0 && observed > cells.length / 2 && observed / cells.length > expectedShare;
  return {
    observed,
    of: cells.length,
    expectedShare,
    more,
    pMiddle,
    mostly: more && pMiddle < SHARING_LEVEL,
  };
}

/**
 * Claim 2 (He & Choi 2021, section 4: a set of heads, mostly in the middle layers, is claimed
 * by most tasks) from the sharing permutation test over the STL-DP runs that decided every gate.
 * Sharing is above chance when the heads claimed by every task are more than every null gives,
 * p(≥) < 0.05 under each: uniform (each run's kept heads anywhere), within-layer (each run's
 * kept heads per layer kept), and the claim-level twins of both. Reproduced when sharing is
 * above chance and the stem cells sit mostly in the middle layers (more than half of them, a
 * larger share than the uniform null puts there, and more than chance would put there: a
 * hypergeometric p < 0.05 over heads); not reproduced when tasks share fewer heads
 * than every null gives (p(≤) < 0.05 under each); inconclusive otherwise.
 */
export function sharedMiddleHeads(study: Omit<StudyHeadline, 'claims'>): ClaimVerdict {
  const claim = 'a shared set of heads is claimed by most tasks, in the middle layers';
  const evidence = study.encoder.headsAreEvidence;
  const verdict = (value: ClaimVerdict['verdict'], numbers: string[]): ClaimVerdict => ({
    id: 2,
    claim,
    verdict: value,
    numbers,
    evidence,
  });
  const stlDp = study.pruningRuns.filter((r) => r.setting === 'STL-DP');
  if (stlDp.length === 0)
    return verdict('not enough data', [
      `no STL-DP run's pruning/gates.json${study.keptHeads.some((k) => k.from === 'overlap') ? ' (overlap.json alone does not say whether the runs decided their gates)' : ''}`,
    ]);
  const converged = stlDp.filter((r) => r.undecided === 0);
  const undecided = undecidedText(stlDp);
  const numbers = [
    `${converged.length} of ${stlDp.length} STL-DP runs decided every gate (final evaluation gates all 0 or 1)${undecided ? `; undecided gates: ${undecided} (left out)` : ''}`,
  ];
  if (converged.length === 0)
    return verdict('not tested', ['not tested: no pruning run decided all its gates', ...numbers]);
  const sharing = study.sharing;
  const tasks = [...new Set(converged.map((r) => r.tasks))];
  if (!sharing)
    return verdict('not enough data', [
      ...numbers,
      tasks.length >= 2
        ? "no sharing test: the converged runs' gates differ in shape (see Missing)"
        : `converged STL-DP runs of ${tasks.length} task(s) (${tasks.join(', ')}): the test needs at least two, "most tasks" three`,
    ]);
  const test = sharing.test;
  numbers.push(
    `${test.definition} ${test.draws} permutation draws (seed ${test.seed}); tasks: ${test.tasks.map((t) => `${t.task} ${t.runs} run(s), claims ${t.claimed}`).join('; ')}`,
    // The test of sharing; the headline's sharing section prints the other statistics.
    ...countStatistics(sharing)
      .filter((s) => s.id === 'claimed-by-all')
      .map(statisticText),
  );
  const middle = middleOf(sharing);
  if (sharing.middleLayers.length > 0)
    numbers.push(
      `${middle.observed} of ${middle.of} stem cells in the middle layers (${sharing.middleLayers.map((l) => l + 1).join(', ')}); the uniform null puts ${Math.round(100 * middle.expectedShare)}% of them there${sharing.layers.length > 0 ? `; per layer, observed / uniform null mean: ${sharing.layers.map((l) => `L${l.layer + 1} ${l.observed} / ${count(l.expected)}`).join(', ')}` : ''}`,
      `P(${middle.observed} or more of ${middle.of} stem cells in the middle layers were they placed on heads at random, hypergeometric) = ${pText(middle.pMiddle)}`,
    );
  if (test.tasks.length < 3 || sharing.middleLayers.length === 0)
    return verdict('not enough data', [
      ...numbers,
      test.tasks.length < 3
        ? `only ${test.tasks.length} tasks with converged runs: "most tasks" needs at least three`
        : 'needs an encoder of three or more layers',
    ]);
  const all = test.statistics.find((s) => s.id === 'claimed-by-all');
  if (!all)
    return verdict('inconclusive', [...numbers, 'the test gave no claimed-by-all statistic']);
  const above = nullsOf(all).every(([, summary]) => summary.pAbove < SHARING_LEVEL);
  const below = nullsOf(all).every(([, summary]) => summary.pBelow < SHARING_LEVEL);
  if (above && middle.mostly)
    numbers.push('sharing above chance under every null, mostly in the middle layers');
  else if (above && middle.more)
    numbers.push(
      `sharing above chance under every null; more stem cells sit in the middle layers than elsewhere, but no more than chance would put there (p = ${pText(middle.pMiddle)})`,
    );
  else if (above)
    numbers.push('sharing above chance under every null, but not mostly in the middle layers');
  else if (below)
    numbers.push('fewer heads claimed by every task than chance gives, under every null');
  else
    numbers.push(
      `sharing within what chance gives (p(≥) ≥ ${SHARING_LEVEL}) under at least one null`,
    );
  return verdict(
    above && middle.mostly ? 'reproduced' : below ? 'not reproduced' : 'inconclusive',
    numbers,
  );
}
