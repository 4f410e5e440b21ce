import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { pathToFileURL } from 'node:url';
import {
  CORE_VERSION,
  ComponentRegistry,
  createProcessContainer,
  registerPlugins,
  selectBackend,
  type PluginHookOutcome,
  type StemRegisterHook,
} from '@stem/core';
import type { StudySession } from '../src/study/study-session.js';

/** Every first-party plugin a study's configs name, as the CLI in the repository loads them. */
const PLUGINS = [
  '@stem/data',
  '@stem/encoder-transformer',
  '@stem/task-pos',
  '@stem/task-ner',
  '@stem/task-dep',
  '@stem/task-con',
  '@stem/task-srl',
  '@stem/analyzer-probe',
  '@stem/analyzer-pruning',
];

/**
 * A session as a worker or a script would open one: each plugin's `stem:register` hook (the
 * file its package.json names for oclif) registered through core's loader.
 */
export async function pluginSession(): Promise<StudySession> {
  const { tf, info: backend } = await selectBackend('auto');
  const require = createRequire(import.meta.url);
  const outcomes: PluginHookOutcome[] = [];
  for (const name of PLUGINS) {
    const manifest = require.resolve(`${name}/package.json`);
    const pjson = JSON.parse(await readFile(manifest, 'utf8')) as {
      version: string;
      oclif: { hooks: Record<string, string> };
    };
    const file = join(dirname(manifest), pjson.oclif.hooks['stem:register']!);
    const hook = (await import(pathToFileURL(file).href)).default as StemRegisterHook;
    outcomes.push({
      name,
      version: pjson.version,
      plugin: await hook({ coreVersion: CORE_VERSION }),
    });
  }
  const registry = new ComponentRegistry();
  const { warnings } = await registerPlugins(outcomes, registry, CORE_VERSION, tf);
  if (warnings.length > 0) throw new Error(warnings.map((w) => w.message).join('\n'));
  return { registry, tf, backend, container: createProcessContainer({ registry, tf, backend }) };
}
