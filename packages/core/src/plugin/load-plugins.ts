import semver from 'semver';
import type { TensorFlow } from '../contracts/tensorflow.js';
import type { ComponentRegistry } from '../registry/component-registry.js';
import { createRegistrationFacade } from '../registry/registration-facade.js';
import type { StemPlugin } from './stem-plugin.js';

/** One plugin's answer to the registration hook, as the CLI collected it. */
export interface PluginHookOutcome {
  name: string;
  version: string;
  /** The plugin's declared `@stem/core` range (peerDependencies, else dependencies). */
  coreRange?: string;
  /** What the hook returned, when it did not throw. */
  plugin?: unknown;
  /** Why the hook failed, when it threw. */
  error?: unknown;
}

export interface PluginWarning {
  plugin: string;
  message: string;
}

export interface LoadedPlugin {
  name: string;
  version: string;
  coreRange?: string;
  components: string[];
}

/**
 * Checks each plugin's core range, then lets it register. A failing or incompatible plugin
 * becomes a warning naming it; the others still load. Plugins run in name order so the
 * outcome never depends on hook timing.
 */
export async function registerPlugins(
  outcomes: readonly PluginHookOutcome[],
  registry: ComponentRegistry,
  coreVersion: string,
  tf: TensorFlow,
): Promise<{ loaded: LoadedPlugin[]; warnings: PluginWarning[] }> {
  const loaded: LoadedPlugin[] = [];
  const warnings: PluginWarning[] = [];
  for (const outcome of [...outcomes].sort((a, b) => a.name.localeCompare(b.name))) {
    const label = `${outcome.name}@${outcome.version}`;
    if (outcome.error !== undefined) {
      warnings.push({
        plugin: outcome.name,
        message: `plugin ${label} failed to load and was skipped: ${describe(outcome.error)}`,
      });
      continue;
    }
    const rangeProblem = checkCoreRange(outcome.coreRange, coreVersion);
    if (rangeProblem) {
      warnings.push({ plugin: outcome.name, message: `plugin ${label} refused: ${rangeProblem}` });
      continue;
    }
    if (!isStemPlugin(outcome.plugin)) {
      warnings.push({
        plugin: outcome.name,
        message: `plugin ${label} was skipped: its stem:register hook must return { register(stem) { ... } }`,
      });
      continue;
    }
    const before = new Set(registry.list().map((c) => c.registration.id));
    try {
      await outcome.plugin.register(
        createRegistrationFacade(
          registry,
          { name: outcome.name, version: outcome.version },
          coreVersion,
          tf,
        ),
      );
    } catch (error) {
      warnings.push({
        plugin: outcome.name,
        message: `plugin ${label} failed while registering: ${describe(error)}`,
      });
    }
    loaded.push({
      name: outcome.name,
      version: outcome.version,
      ...(outcome.coreRange ? { coreRange: outcome.coreRange } : {}),
      components: registry
        .list()
        .map((c) => c.registration.id)
        .filter((id) => !before.has(id)),
    });
  }
  return { loaded, warnings };
}

/** Returns why `coreRange` excludes `coreVersion`, or undefined when it is compatible. */
export function checkCoreRange(
  coreRange: string | undefined,
  coreVersion: string,
): string | undefined {
  if (coreRange === undefined || coreRange.startsWith('workspace:')) return undefined;
  if (!semver.validRange(coreRange))
    return `its @stem/core range "${coreRange}" is not a valid semver range`;
  if (!semver.satisfies(coreVersion, coreRange, { includePrerelease: true })) {
    return `it requires @stem/core ${coreRange} but this stem has @stem/core ${coreVersion}; install a plugin version built for @stem/core ${coreVersion}`;
  }
  return undefined;
}

function isStemPlugin(value: unknown): value is StemPlugin {
  return (
    typeof value === 'object' &&
    value !== null &&
    typeof (value as StemPlugin).register === 'function'
  );
}

function describe(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
