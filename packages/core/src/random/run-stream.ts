import { SeededRandom } from './seeded-random.js';

/** The parts of an experiment config that say which run it is (task set and setting). */
export interface RunStreamInput {
  seed: number;
  tasks: Record<string, { type: string }>;
  trainingComponents?: Record<string, { type: string }>;
}

/**
 * The run's identity as its random streams see it: its tasks (name and head type) and its
 * training components (name and type), sorted, so the order of config sections does not
 * matter. Two runs of one seed that differ in task set or setting (STL POS vs STL DEP, STL
 * vs STL-DP) get different identities and so independent streams: a pruning run of POS and
 * one of DEP at seed 1 no longer start from the same gates or draw the same gate noise.
 * The same config keeps its identity, so a rerun or a resumed run is bit-identical.
 */
export function runStreamIdentity(config: RunStreamInput): string {
  const entries = (sections: Record<string, { type: string }> | undefined) =>
    Object.entries(sections ?? {})
      .map(([name, section]) => `${name}:${section.type}`)
      .sort()
      .join(',');
  const components = entries(config.trainingComponents);
  return `tasks=${entries(config.tasks)}${components ? `;components=${components}` : ''}`;
}

/**
 * The root stream of a run: the seed forked by the run's identity. Every per-run random
 * choice (initialisation of heads and gates, epoch plans, dropout, gate noise) descends from
 * it through `fork(path)`, so within a run components stay independent of each other, and
 * across runs of one seed the streams are independent too.
 */
export function runRandom(config: RunStreamInput): SeededRandom {
  return new SeededRandom(config.seed).fork(`run/${runStreamIdentity(config)}`);
}
