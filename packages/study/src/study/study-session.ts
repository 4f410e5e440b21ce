import type { BackendInfo, ComponentRegistry, DependencyContainer, TensorFlow } from '@stem/core';

/**
 * What the engine needs of a process whose plugins have registered: the registry (to validate
 * generated configs and build datasets, encoders, probes), its `tf` and backend, and the process
 * container runs are made in. The CLI's session is one; a worker or a script builds its own.
 */
export interface StudySession {
  registry: ComponentRegistry;
  tf: TensorFlow;
  backend: BackendInfo;
  container: DependencyContainer;
}
