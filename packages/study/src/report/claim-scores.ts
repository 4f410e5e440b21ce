import { intervalText, percent, verdictFromTasks, type ClaimVerdict } from './claim-verdict.js';
import { sideOfZero } from './mean-interval.js';
import type { StudyHeadline, TaskScoreLine } from './study-headline.js';

/**
 * Claim 1 on one task (He & Choi 2021, Table 2: MTL-5 below STL): from MTL minus STL paired by
 * seed. 'below' / 'above': the 95% t interval excludes 0; 'inconclusive': it holds 0; 'one
 * seed': one pair, no interval; 'no paired seeds': no seed has both runs; 'under-trained': the
 * STL mean is under the task's learning floor, so the task is not tested.
 */
export type ScoreOutcome =
  'below' | 'above' | 'inconclusive' | 'one seed' | 'no paired seeds' | 'under-trained';

/** Undefined when the task lacks an STL or an all-tasks score. */
export function scoreOutcome(line: TaskScoreLine): ScoreOutcome | undefined {
  if (!line.stl || !line.mtl) return undefined;
  if (line.floor !== undefined && line.stl.mean < line.floor) return 'under-trained';
  if (!line.difference) return 'no paired seeds';
  return sideOfZero(line.difference) ?? 'one seed';
}

/** What the score line says after its numbers. */
export function scoreOutcomeText(line: TaskScoreLine): string {
  switch (line.outcome) {
    case 'under-trained':
      return `not tested: under-trained (STL ${percent(line.stl!.mean)} < learning floor ${percent(line.floor!)})`;
    case 'one seed':
      return 'one seed: no interval';
    case 'no paired seeds':
      return 'no seed has both runs: no paired difference';
    default:
      return line.outcome ?? '';
  }
}

/**
 * Claim 1, MTL over all tasks scores below STL. Per task, MTL minus STL paired by seed with
 * its 95% Student-t interval; tasks under their learning floor are not tested. Over the tested
 * tasks with an interval: reproduced when most are below and none above, not reproduced when
 * most are above (or none below and some above), inconclusive otherwise.
 */
export function mtlBelowStl(study: Omit<StudyHeadline, 'claims'>): ClaimVerdict {
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
  const numbers = [
    `per task, Δ = ${label} − STL paired by seed (points; mean [95% Student-t interval] (n = seeds with both runs)):`,
    ...compared.map(
      (s) =>
        `${s.task}: ${s.difference ? intervalText(s.difference) : 'no paired difference'}: ${scoreOutcomeText(s)}`,
    ),
  ];
  if (study.allTasks && study.allTasks.tasks.length < 5)
    numbers.push(
      `${label} (${study.allTasks.tasks.join('+')}) stands in for the paper's five tasks`,
    );
  const tested = compared.filter((s) => s.outcome !== 'under-trained');
  if (tested.length === 0)
    return {
      id: 1,
      claim,
      verdict: 'not tested',
      numbers: [...numbers, 'every task is under-trained (STL below its learning floor)'],
      evidence,
    };
  const withInterval = tested.filter((s) =>
    ['below', 'above', 'inconclusive'].includes(s.outcome ?? ''),
  );
  const below = withInterval.filter((s) => s.outcome === 'below').length;
  const above = withInterval.filter((s) => s.outcome === 'above').length;
  const underTrained = compared.length - tested.length;
  numbers.push(
    `of ${withInterval.length} tested task(s) with an interval: ${below} below, ${above} above, ${withInterval.length - below - above} inconclusive${underTrained > 0 ? `; ${underTrained} under-trained (not tested)` : ''}${tested.length > withInterval.length ? `; ${tested.length - withInterval.length} without an interval` : ''}`,
  );
  return {
    id: 1,
    claim,
    verdict: verdictFromTasks(below, above, withInterval.length),
    numbers,
    evidence,
  };
}
