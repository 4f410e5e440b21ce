import type { Config } from '@oclif/core';
import {
  CORE_VERSION,
  ComponentRegistry,
  REGISTER_HOOK_EVENT,
  createProcessContainer,
  registerPlugins,
  selectBackend,
  type BackendInfo,
  type DeviceChoice,
  type LoadedPlugin,
  type PluginHookOutcome,
  type PluginWarning,
  type TensorFlow,
  type DependencyContainer,
} from '@stem/core';

/** Everything a command needs once plugins have registered: one per process. */
export interface StemSession {
  registry: ComponentRegistry;
  tf: TensorFlow;
  backend: BackendInfo;
  plugins: LoadedPlugin[];
  warnings: PluginWarning[];
  container: DependencyContainer;
}

interface OclifPluginLike {
  name: string;
  version: string;
  pjson: { peerDependencies?: Record<string, string>; dependencies?: Record<string, string> };
}

/**
 * Picks the backend, fires the `stem:register` hook in every oclif plugin that declares it
 * and lets core check and register what each returned. A plugin whose hook throws, or whose
 * `@stem/core` range excludes this core, becomes a warning; the CLI keeps working.
 */
export async function openStemSession(config: Config, device: DeviceChoice): Promise<StemSession> {
  const { tf, info: backend } = await selectBackend(device);
  const hookResult = await config.runHook(
    REGISTER_HOOK_EVENT as never,
    { coreVersion: CORE_VERSION } as never,
    undefined,
    true,
  );
  const outcomes: PluginHookOutcome[] = [
    ...hookResult.successes.map(({ plugin, result }) => ({
      ...describePlugin(plugin as OclifPluginLike),
      plugin: result,
    })),
    ...hookResult.failures.map(({ plugin, error }) => ({
      ...describePlugin(plugin as OclifPluginLike),
      error,
    })),
  ];
  const registry = new ComponentRegistry();
  const { loaded, warnings } = await registerPlugins(outcomes, registry, CORE_VERSION, tf);
  const container = createProcessContainer({ registry, tf, backend });
  return { registry, tf, backend, plugins: loaded, warnings, container };
}

function describePlugin(plugin: OclifPluginLike): {
  name: string;
  version: string;
  coreRange?: string;
} {
  const coreRange =
    plugin.pjson.peerDependencies?.['@stem/core'] ?? plugin.pjson.dependencies?.['@stem/core'];
  return { name: plugin.name, version: plugin.version, ...(coreRange ? { coreRange } : {}) };
}
