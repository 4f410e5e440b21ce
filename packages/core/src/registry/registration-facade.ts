import { z } from 'zod';
import type { TensorFlow } from '../contracts/tensorflow.js';
import { safetensors } from '../io/safetensors-codec.js';
import { nn } from '../nn/index.js';
import type { RegistrationFacade } from '../plugin/stem-plugin.js';
import type { ComponentRegistry } from './component-registry.js';
import type { ProviderInfo } from './registration.js';

/** The view of the registry one plugin gets: everything it registers is attributed to it. */
export function createRegistrationFacade(
  registry: ComponentRegistry,
  provider: ProviderInfo,
  coreVersion: string,
  tf: TensorFlow,
): RegistrationFacade {
  return {
    coreVersion,
    z,
    tf,
    safetensors,
    nn,
    registerEncoder: (registration) => registry.register('encoder', registration, provider),
    registerTask: (registration) => registry.register('task', registration, provider),
    registerAnalyzer: (registration) => registry.register('analyzer', registration, provider),
    registerDataset: (registration) => registry.register('dataset', registration, provider),
    registerTrainingComponent: (registration) =>
      registry.register('training', registration, provider),
  };
}
