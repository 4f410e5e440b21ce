import type { StudyHeadline } from './study-headline.js';

/** A verdict on one of the paper's three claims (PAPER.md), computed from the study's numbers. */
export interface ClaimVerdict {
  id: 1 | 2 | 3;
  claim: string;
  verdict: 'reproduced' | 'not reproduced' | 'not enough data';
  /** The numbers the verdict rests on, one short sentence each. */
  numbers: string[];
  /** False when the encoder makes the data no evidence for or against the claim. */
  evidence: boolean;
}

type Numbers = Omit<StudyHeadline, 'claims'>;

const points = (value: number) => `${value >= 0 ? '+' : ''}${(100 * value).toFixed(2)}`;
const pct = (value: number) => (100 * value).toFixed(2);
const mostOf = (hits: number, of: number) => hits > of / 2;

/**
 * Claim 1, MTL over all tasks scores below STL: reproduced when the all-tasks setting's mean
 * is below the STL mean on most (more than half) of the tasks that have both.
 */
function mtlBelowStl(study: Numbers): ClaimVerdict {
  const label = study.allTasks?.label ?? 'MTL-5';
  const claim = `${label} scores below STL`;
  const evidence = study.encoder.pretrained;
  const compared = study.scores.filter((s) => s.stl && s.mtl);
  if (compared.length === 0)
    return {
      id: 1,
      claim,
      verdict: 'not enough data',
      numbers: [`no task has both an STL and an ${label} score`],
      evidence,
    };
  const below = compared.filter((s) => s.mtl!.mean < s.stl!.mean);
  const numbers = [
    `${label} below STL on ${below.length} of ${compared.length} task(s): ${compared
      .map((s) => {
        const spread = Math.max(s.stl!.std ?? 0, s.mtl!.std ?? 0);
        const within =
          s.stl!.n < 2 || s.mtl!.n < 2
            ? 'one run: no spread'
            : Math.abs(s.mtl!.mean - s.stl!.mean) <= spread
              ? 'within one std'
              : 'beyond one std';
        return `${s.task} ${points(s.mtl!.mean - s.stl!.mean)} (${within})`;
      })
      .join(', ')}`,
  ];
  if (study.allTasks && study.allTasks.tasks.length < 5)
    numbers.push(
      `${label} (${study.allTasks.tasks.join('+')}) stands in for the paper's five tasks`,
    );
  return {
    id: 1,
    claim,
    verdict: mostOf(below.length, compared.length) ? 'reproduced' : 'not reproduced',
    numbers,
    evidence,
  };
}

/**
 * Claim 2, a shared set of heads claimed by most tasks, in the middle layers: needs the STL-DP
 * gates of at least three tasks and an encoder with middle layers (3 or more). Reproduced when
 * there are stem-cell heads, more than if each task had claimed its heads at random, and a
 * larger share of them sits in the middle half of the layers than of all heads.
 */
function sharedMiddleHeads(study: Numbers): ClaimVerdict {
  const claim = 'a shared set of heads is claimed by most tasks, in the middle layers';
  const evidence = study.encoder.headsAreEvidence;
  const cells = study.stemCells;
  if (!cells)
    return {
      id: 2,
      claim,
      verdict: 'not enough data',
      numbers: [
        'no stem-cell count: need the STL-DP gates of at least two tasks (three for a verdict)',
      ],
      evidence,
    };
  const total = cells.layers * cells.headsPerLayer;
  const middleHeads = cells.middleLayers.length * cells.headsPerLayer;
  const middleNames = cells.middleLayers.map((l) => l + 1).join(', ');
  const numbers = [
    `${cells.heads.length} of ${total} heads claimed by at least ${cells.majority} of ${cells.tasks.length} tasks (${cells.tasks.map((t) => `${t.task} claims ${t.claimed}`).join(', ')}); expected if the tasks chose independently: ${cells.expectedByChance.toFixed(1)}`,
    cells.middleLayers.length > 0
      ? `${cells.inMiddleLayers} of ${cells.heads.length} stem-cell heads in the middle layers (${middleNames}), which hold ${middleHeads} of ${total} heads`
      : `a ${cells.layers}-layer encoder has no middle layers`,
  ];
  if (cells.tasks.length < 3 || cells.middleLayers.length === 0)
    return {
      id: 2,
      claim,
      verdict: 'not enough data',
      numbers: [
        ...numbers,
        cells.tasks.length < 3
          ? `only ${cells.tasks.length} pruned tasks: "most tasks" needs at least three`
          : 'needs an encoder of three or more layers',
      ],
      evidence,
    };
  const shared = cells.heads.length > 0 && cells.heads.length > cells.expectedByChance;
  const middle =
    cells.heads.length > 0 && cells.inMiddleLayers / cells.heads.length > middleHeads / total;
  if (!shared)
    numbers.push(
      cells.heads.length === 0
        ? 'no head is claimed by most tasks'
        : 'no more heads are shared than chance would give',
    );
  else if (!middle) numbers.push('the shared heads are not concentrated in the middle layers');
  return {
    id: 2,
    claim,
    verdict: shared && middle ? 'reproduced' : 'not reproduced',
    numbers,
    evidence,
  };
}

/**
 * Claim 3, STL specialises heads and MTL gives it back: per task with static, STL and MTL
 * probe results, STL's macro average above static and MTL's below STL. Reproduced when both
 * hold on most of those tasks.
 */
function probesSpecialise(study: Numbers): ClaimVerdict {
  const label = study.allTasks?.label ?? 'MTL-5';
  const claim = `probes: STL specialises heads and ${label} gives it back`;
  const evidence = study.encoder.headsAreEvidence;
  const compared = study.probes.filter((p) => p.static && p.stl && p.mtl);
  if (compared.length === 0)
    return {
      id: 3,
      claim,
      verdict: 'not enough data',
      numbers: [`no task has static, STL and ${label} probe results`],
      evidence,
    };
  const both = compared.filter((p) => p.stl!.mean > p.static!.mean && p.mtl!.mean < p.stl!.mean);
  const numbers = compared.map((p) => {
    const gain = p.stl!.mean - p.static!.mean;
    const back = p.stl!.mean - p.mtl!.mean;
    const share =
      gain > 0 && back > 0 ? `, ${Math.round((100 * back) / gain)}% of the gain given back` : '';
    return `${p.task}: static ${pct(p.static!.mean)}, STL ${pct(p.stl!.mean)} (${points(gain)}), ${label} ${pct(p.mtl!.mean)} (${points(-back)} vs STL${share})${p.mtlBelowStl ? `; ${label} below STL on ${p.mtlBelowStl.labels} of ${p.mtlBelowStl.of} labels` : ''}`;
  });
  numbers.unshift(
    `STL above static and ${label} below STL on ${both.length} of ${compared.length} task(s)`,
  );
  return {
    id: 3,
    claim,
    verdict: mostOf(both.length, compared.length) ? 'reproduced' : 'not reproduced',
    numbers,
    evidence,
  };
}

/** The paper's three claims (PAPER.md), each with a verdict from the study's numbers. */
export function paperClaims(study: Numbers): ClaimVerdict[] {
  return [mtlBelowStl(study), sharedMiddleHeads(study), probesSpecialise(study)];
}
