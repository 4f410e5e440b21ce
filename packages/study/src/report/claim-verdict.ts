import type { MeanInterval } from './mean-interval.js';

/**
 * A verdict on one of the claims of He & Choi 2021, computed from the study's numbers. Never
 * 'reproduced' or 'not reproduced' from differences inside the noise: those are 'inconclusive'.
 * 'not tested': the study has the data but it cannot test the claim (under-trained tasks,
 * pruning runs whose gates never decided); 'not enough data': parts of the study are missing.
 */
export type Verdict =
  'reproduced' | 'not reproduced' | 'inconclusive' | 'not tested' | 'not enough data';

export interface ClaimVerdict {
  id: 1 | 2 | 3;
  claim: string;
  verdict: Verdict;
  /** The numbers the verdict rests on, one short sentence each. */
  numbers: string[];
  /** False when the encoder makes the data no evidence for or against the claim. */
  evidence: boolean;
}

/**
 * A claim tested task by task, over the `tasks` that could be tested: reproduced when more
 * than half support it and none goes against it; not reproduced when more than half go against
 * it, or none supports it and some do; inconclusive otherwise (tasks within the noise, or split).
 */
export function verdictFromTasks(supporting: number, against: number, tasks: number): Verdict {
  if (tasks > 0 && supporting > tasks / 2 && against === 0) return 'reproduced';
  if (against > tasks / 2 || (supporting === 0 && against > 0)) return 'not reproduced';
  return 'inconclusive';
}

/** A difference in points: "+1.23" (fractions times 100). */
export const points = (value: number) => `${value >= 0 ? '+' : ''}${(100 * value).toFixed(2)}`;
export const percent = (value: number) => (100 * value).toFixed(2);

/** "+1.23 [95%: -0.40, +2.86] (n=3)", or "+1.23 (n=1: no interval)". */
export function intervalText(interval: MeanInterval): string {
  if (interval.low === undefined || interval.high === undefined)
    return `${points(interval.mean)} (n=${interval.n}: no interval)`;
  return `${points(interval.mean)} [95%: ${points(interval.low)}, ${points(interval.high)}] (n=${interval.n})`;
}

/** A p-value to print: three significant decimals, "< 0.001" below that. */
export function pText(p: number): string {
  return p < 0.001 ? '< 0.001' : p.toFixed(3);
}
