import type { PruningRunGates } from './overlap-analysis.js';
import { mean, pearson } from './statistics.js';

export interface SeedCouplingGroup {
  /** Mean Pearson r between the gate vectors of the pairs; null when there is none. */
  meanR: number | null;
  pairs: number;
}

export interface SeedCoupling {
  sameSeed: SeedCouplingGroup;
  differentSeed: SeedCouplingGroup;
}

/**
 * A diagnostic for shared randomness between tasks: the mean Pearson r between the final gate
 * vectors of runs of DIFFERENT tasks, for pairs run at the same seed and pairs at different
 * seeds. Runs of one seed used to draw the same gate noise whatever their task, which made
 * same-seed pairs agree more (an artefact, not stem cells, He & Choi 2021); with independent
 * streams both means should be alike. Pairs where a run has no seed, or where r is undefined
 * (a constant gate vector), are left out.
 */
export function seedCoupling(runs: readonly PruningRunGates[]): SeedCoupling {
  const same: number[] = [];
  const different: number[] = [];
  const flat = runs.map((run) => run.gates.flat());
  for (let i = 0; i < runs.length; i++)
    for (let j = i + 1; j < runs.length; j++) {
      const a = runs[i] as PruningRunGates;
      const b = runs[j] as PruningRunGates;
      if (a.seed === undefined || b.seed === undefined) continue;
      if (a.tasks.join('+') === b.tasks.join('+')) continue;
      const x = flat[i] as number[];
      const y = flat[j] as number[];
      if (x.length !== y.length || x.length < 2) continue;
      const r = pearson(x, y);
      if (r === null) continue;
      (a.seed === b.seed ? same : different).push(r);
    }
  const groupOf = (values: number[]): SeedCouplingGroup => ({
    meanR: values.length === 0 ? null : mean(values),
    pairs: values.length,
  });
  return { sameSeed: groupOf(same), differentSeed: groupOf(different) };
}
