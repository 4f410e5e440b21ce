import {
  intervalText,
  pText,
  points,
  verdictFromTasks,
  type ClaimVerdict,
} from './claim-verdict.js';
import { sideOfZero } from './mean-interval.js';
import type { ProbeLine, StudyHeadline } from './study-headline.js';

/** The sign test's level: a per-label shift with p below it is beyond noise. */
export const SIGN_TEST_LEVEL = 0.05;

/**
 * Claim 3 on one task (He & Choi 2021, section 5: STL's best heads specialise in the task's
 * labels beyond the static encoder's, and MTL-5 gives much of that back, below STL on most
 * labels). 'supports': STL - static is above 0 beyond its 95% interval, and MTL-5 is below STL
 * on most labels with sign-test p < 0.05. 'against': STL below static beyond its interval, or
 * MTL-5 above STL on most labels with p < 0.05. 'inconclusive': otherwise (within the noise).
 */
export type ProbeOutcome = 'supports' | 'against' | 'inconclusive';

/** Undefined when the task lacks a static, STL or MTL probe. */
export function probeOutcome(line: ProbeLine): ProbeOutcome | undefined {
  if (!line.gain || !line.mtlBelowStl) return undefined;
  const gain = sideOfZero(line.gain);
  const { below, above, of, p } = line.mtlBelowStl;
  const signed = p < SIGN_TEST_LEVEL;
  if (gain === 'below' || (signed && above > of / 2)) return 'against';
  if (gain === 'above' && signed && below > of / 2) return 'supports';
  return 'inconclusive';
}

/** Why a task is inconclusive, in words. */
function withinNoise(line: ProbeLine): string {
  const gain = line.gain!;
  const labels = line.mtlBelowStl!;
  const reasons: string[] = [];
  if (gain.low === undefined) reasons.push('one STL run: no interval for the gain');
  else if (sideOfZero(gain) !== 'above') reasons.push('the gain is within the STL spread');
  if (labels.p >= SIGN_TEST_LEVEL) reasons.push(`the labels shift within the noise`);
  else if (labels.below <= labels.of / 2) reasons.push('not below on most labels');
  return reasons.join('; ');
}

function taskNumbers(line: ProbeLine, label: string): string {
  const share =
    line.shareGivenBack === undefined
      ? 'share given back undefined: no gain over static'
      : line.shareGivenBack < 0
        ? `share given back ${Math.round(100 * line.shareGivenBack)}% (${label} above STL: none given back)`
        : `${Math.round(100 * line.shareGivenBack)}% of the gain given back`;
  const labels = line.mtlBelowStl!;
  const ties = labels.of - labels.below - labels.above;
  const why = line.outcome === 'inconclusive' ? ` (${withinNoise(line)})` : '';
  return `${line.task} ${line.probe}: STL − static ${intervalText(line.gain!)}; STL − ${label} ${points(line.givenBack!)}, ${share}; ${label} below STL on ${labels.below} of ${labels.of} labels, above on ${labels.above}${ties > 0 ? `, ${ties} tied (dropped)` : ''}, sign test p = ${pText(labels.p)}: ${line.outcome}${why}`;
}

/**
 * Claim 3, probes: STL specialises heads and MTL gives it back. Per task (see ProbeOutcome),
 * then over the tasks: reproduced when most support it and none goes against it, not
 * reproduced when most go against it (or none supports it and some do), inconclusive otherwise.
 */
export function probesSpecialise(study: Omit<StudyHeadline, 'claims'>): ClaimVerdict {
  const label = study.allTasks?.label ?? 'MTL-5';
  const claim = `probes: STL specialises heads and ${label} gives it back`;
  const evidence = study.encoder.headsAreEvidence;
  const compared = study.probes.filter((p) => p.outcome !== undefined);
  if (compared.length === 0)
    return {
      id: 3,
      claim,
      verdict: 'not enough data',
      numbers: [`no task has static, STL and ${label} probe results`],
      evidence,
    };
  const supporting = compared.filter((p) => p.outcome === 'supports').length;
  const against = compared.filter((p) => p.outcome === 'against').length;
  const stlRuns = new Set(compared.flatMap((p) => p.runs?.stl ?? []));
  const mtlRuns = new Set(compared.flatMap((p) => p.runs?.mtl ?? []));
  const numbers = [
    `from the probes of ${stlRuns.size} STL and ${mtlRuns.size} ${label} run(s) and the static encoder's (deterministic: one each); pruning runs are not probed for this claim`,
    `per task: ${supporting} support, ${against} against, ${compared.length - supporting - against} inconclusive (support: STL − static above 0 beyond its 95% interval and ${label} below STL on most labels, sign test p < ${SIGN_TEST_LEVEL})`,
    ...compared.map((p) => taskNumbers(p, label)),
  ];
  return {
    id: 3,
    claim,
    verdict: verdictFromTasks(supporting, against, compared.length),
    numbers,
    evidence,
  };
}
