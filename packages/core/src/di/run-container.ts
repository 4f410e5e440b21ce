import { container as rootContainer, type DependencyContainer } from 'tsyringe';
import type { BackendInfo } from '../compute/backend-name.js';
import type { ExperimentConfig } from '../config/experiment-schema.js';
import type { TensorFlow } from '../contracts/tensorflow.js';
import { runRandom, streamOptionsOf, type RunStreamOptions } from '../random/run-stream.js';
import { SeededRandom } from '../random/seeded-random.js';
import type { ComponentRegistry } from '../registry/component-registry.js';
import type { RunDirectory } from '../run/run-directory.js';
import { TOKENS } from '../tokens.js';

/**
 * The process-level container: services shared by every run (registry, tf, backend).
 * A child of tsyringe's global container that nothing registers into globally, so two
 * processes or tests never see each other's registrations.
 */
export function createProcessContainer(services: {
  registry: ComponentRegistry;
  tf: TensorFlow;
  backend: BackendInfo;
}): DependencyContainer {
  const processContainer = rootContainer.createChildContainer();
  processContainer.registerInstance(TOKENS.registry, services.registry);
  processContainer.registerInstance(TOKENS.tf, services.tf);
  processContainer.registerInstance(TOKENS.backend, services.backend);
  return processContainer;
}

/** How a run's stream identity reads its components: through the registry, where there is one. */
export function runStreamOptions(container: DependencyContainer): RunStreamOptions {
  return container.isRegistered(TOKENS.registry, true)
    ? streamOptionsOf(container.resolve<ComponentRegistry>(TOKENS.registry))
    : {};
}

/**
 * One container per run: a child of the process container holding the run's config,
 * randomness derived from the seed and the run's identity (`runRandom`) and directory. Disposing the run drops everything it built.
 */
export function createRunContainer(
  parent: DependencyContainer,
  run: { config: ExperimentConfig; directory?: RunDirectory },
): DependencyContainer {
  const runContainer = parent.createChildContainer();
  runContainer.registerInstance(TOKENS.experimentConfig, run.config);
  runContainer.registerInstance(TOKENS.random, runRandom(run.config, runStreamOptions(parent)));
  runContainer.registerInstance(TOKENS.seedRandom, new SeededRandom(run.config.seed));
  runContainer.registerInstance(TOKENS.container, runContainer);
  if (run.directory) runContainer.registerInstance(TOKENS.runDirectory, run.directory);
  return runContainer;
}
