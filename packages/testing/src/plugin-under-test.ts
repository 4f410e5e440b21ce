import {
  CORE_VERSION,
  ComponentRegistry,
  createProcessContainer,
  registerPlugins,
  type DependencyContainer,
  type StemRegisterHook,
  type TensorFlow,
} from '@stem/core';
import { ConformanceError } from './conformance-error.js';

/**
 * What the conformance checks build on: the plugin's hook registered alone into a fresh
 * registry (through core's own loader, so range checks and warnings apply), and a process
 * container around it. A warning fails the check it was opened for.
 */
export async function openPluginUnderTest(
  hook: StemRegisterHook,
  name: string,
  tf: TensorFlow,
): Promise<{ registry: ComponentRegistry; container: DependencyContainer }> {
  const registry = new ComponentRegistry();
  const plugin = await hook({ coreVersion: CORE_VERSION });
  const { warnings } = await registerPlugins(
    [{ name, version: '0.0.0', plugin }],
    registry,
    CORE_VERSION,
    tf,
  );
  if (warnings.length > 0)
    throw new ConformanceError(
      name,
      warnings.map((w) => w.message),
    );
  const container = createProcessContainer({
    registry,
    tf,
    backend: {
      requested: 'auto',
      device: tf.getBackend() === 'wasm' ? 'wasm' : 'js',
      backend: tf.getBackend(),
      package: `tfjs backend ${tf.getBackend()}`,
      tfjsVersion: tf.version.tfjs,
      skipped: [],
    },
  });
  return { registry, container };
}
