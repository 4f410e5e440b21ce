import { SeededRandom } from './seeded-random.js';

/** The parts of an experiment config that say which run it is (task set and setting). */
export interface RunStreamInput {
  seed: number;
  tasks: Record<string, { type: string }>;
  trainingComponents?: Record<string, { type: string }>;
}

export interface RunStreamOptions {
  /** Training component types that only observe training: they do not change the identity. */
  observesOnly?: (componentType: string) => boolean;
}

/**
 * The run's identity as its random streams see it: its tasks (name and head type) and its
 * training components (name and type), sorted, so the order of config sections does not
 * matter. Two runs of one seed that differ in task set or setting (STL POS vs STL DEP, STL
 * vs STL-DP) get different identities and so independent streams: a pruning run of POS and
 * one of DEP at seed 1 no longer start from the same gates or draw the same gate noise.
 * The same config keeps its identity, so a rerun or a resumed run is bit-identical.
 * Components that only observe (`options.observesOnly`, e.g. a gradient meter) are left out.
 */
export function runStreamIdentity(config: RunStreamInput, options: RunStreamOptions = {}): string {
  const observesOnly = options.observesOnly ?? (() => false);
  const entries = (sections: Record<string, { type: string }> | undefined) =>
    Object.entries(sections ?? {})
      .filter(([, section]) => sections === config.tasks || !observesOnly(section.type))
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
export function runRandom(config: RunStreamInput, options: RunStreamOptions = {}): SeededRandom {
  return new SeededRandom(config.seed).fork(`run/${runStreamIdentity(config, options)}`);
}

/** `RunStreamOptions` from a registry: a component observes only where its registration says so. */
export function streamOptionsOf(registry: {
  get(kind: 'training', id: string): { registration: { observesOnly?: boolean } } | undefined;
}): RunStreamOptions {
  return {
    observesOnly: (type) => registry.get('training', type)?.registration.observesOnly === true,
  };
}
