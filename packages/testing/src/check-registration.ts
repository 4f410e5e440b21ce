import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs';
import {
  CORE_VERSION,
  ComponentRegistry,
  experimentJsonSchema,
  registerPlugins,
  type RegisteredComponent,
  type StemRegisterHook,
} from '@stem/core';
import { ConformanceError } from './conformance-error.js';
import { pluginManifestProblems, type PluginPackageJson } from './plugin-manifest-problems.js';

export interface RegistrationCheckInput {
  /** The plugin package's directory (holding package.json). */
  packageDirectory: string;
  /** The plugin's `stem:register` hook (the default export of its hook module). */
  hook: StemRegisterHook;
  /**
   * Check that package.json lets `stem plugins:add` install the plugin (default true).
   * Only packages the CLI ships as workspace dependencies (like @stem/data) turn it off.
   */
  installable?: boolean;
}

export interface RegistrationReport {
  plugin: string;
  version: string;
  components: Array<{ kind: string; id: string; description: string }>;
  registry: ComponentRegistry;
}

/**
 * Registration conformance, the checks every plugin must pass: its package.json lets
 * `stem plugins:add` load it, its hook registers at least one component through the
 * facade without warnings, every id is versioned and unique, every config schema builds
 * with core's zod, describes its fields and exports to JSON Schema. Throws a
 * ConformanceError listing every problem.
 */
export async function checkRegistration(
  input: RegistrationCheckInput,
): Promise<RegistrationReport> {
  const pjson = JSON.parse(
    await readFile(join(input.packageDirectory, 'package.json'), 'utf8'),
  ) as PluginPackageJson;
  const name = pjson.name ?? input.packageDirectory;
  const problems = input.installable === false ? [] : pluginManifestProblems(pjson);

  const registry = new ComponentRegistry();
  let plugin: unknown;
  try {
    plugin = await input.hook({ coreVersion: CORE_VERSION });
  } catch (error) {
    throw new ConformanceError(name, [
      ...problems,
      `the stem:register hook threw: ${(error as Error).message}`,
    ]);
  }
  const { warnings } = await registerPlugins(
    [
      {
        name,
        version: pjson.version ?? '0.0.0',
        coreRange: pjson.peerDependencies?.['@stem/core'],
        plugin,
      },
    ],
    registry,
    CORE_VERSION,
    tf,
  );
  problems.push(...warnings.map((warning) => warning.message));
  const components = registry.list();
  if (components.length === 0 && warnings.length === 0)
    problems.push('the hook registered no component');
  for (const component of components) problems.push(...componentProblems(component));
  try {
    experimentJsonSchema(registry);
  } catch (error) {
    problems.push(
      `the experiment JSON Schema cannot be exported with this plugin's schemas: ${(error as Error).message}`,
    );
  }
  if (problems.length > 0) throw new ConformanceError(name, problems);
  return {
    plugin: name,
    version: pjson.version ?? '0.0.0',
    components: components.map((c) => ({
      kind: c.kind,
      id: c.registration.id,
      description: c.registration.description,
    })),
    registry,
  };
}

function componentProblems(component: RegisteredComponent): string[] {
  const { id, description } = component.registration;
  const problems: string[] = [];
  if (!description || description.trim().length < 10)
    problems.push(`${id}: give it a description of what it does (shown by stem info)`);
  for (const [field, schema] of Object.entries(component.schema.shape)) {
    if (field === 'type') continue;
    if (!(schema as { description?: string }).description) {
      problems.push(
        `${id}: config field "${field}" has no .describe(...) text (shown in editors through the JSON Schema)`,
      );
    }
  }
  return problems;
}
