import { mtlBelowStl } from './claim-scores.js';
import { sharedMiddleHeads } from './claim-sharing.js';
import { probesSpecialise } from './claim-probes.js';
import type { ClaimVerdict } from './claim-verdict.js';
import type { StudyHeadline } from './study-headline.js';

export type { ClaimVerdict, Verdict } from './claim-verdict.js';

/**
 * The three claims of He & Choi 2021, each with a verdict from the study's numbers: (1) MTL-5
 * scores below STL (claim-scores.ts), (2) a shared set of heads in the middle layers
 * (claim-sharing.ts), (3) STL specialises heads and MTL-5 gives it back (claim-probes.ts).
 */
export function paperClaims(study: Omit<StudyHeadline, 'claims'>): ClaimVerdict[] {
  return [mtlBelowStl(study), sharedMiddleHeads(study), probesSpecialise(study)];
}
