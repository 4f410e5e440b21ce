/**
 * Injection tokens. `Symbol.for` makes them identical across copies of @stem/core, which
 * matters because a plugin installed with `stem plugins:add` loads its own node_modules.
 */
export const TOKENS = {
  tf: Symbol.for('stem/tf'),
  backend: Symbol.for('stem/backend'),
  registry: Symbol.for('stem/registry'),
  /** The run's stream: the seed forked by the run's identity (`runRandom`). */
  random: Symbol.for('stem/random'),
  /** The seed's own stream, shared by every run of one seed: only the encoder's initialisation. */
  seedRandom: Symbol.for('stem/seed-random'),
  experimentConfig: Symbol.for('stem/experiment-config'),
  runDirectory: Symbol.for('stem/run-directory'),
  logger: Symbol.for('stem/logger'),
  encoder: Symbol.for('stem/encoder'),
  /** The run's own container, for services that build further components. */
  container: Symbol.for('stem/container'),
} as const;
