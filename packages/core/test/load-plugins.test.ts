import { describe, expect, it } from 'vitest';
import * as tf from '@tensorflow/tfjs';
import { ComponentRegistry } from '../src/registry/component-registry.js';
import { checkCoreRange, registerPlugins } from '../src/plugin/load-plugins.js';
import type { StemPlugin } from '../src/plugin/stem-plugin.js';
import { registerToyComponents } from './support.js';

const good: StemPlugin = { register: registerToyComponents };

describe('registerPlugins', () => {
  it('loads compatible plugins and attributes their components', async () => {
    const registry = new ComponentRegistry();
    const { loaded, warnings } = await registerPlugins(
      [{ name: 'toy', version: '1.0.0', coreRange: '^0.1.0', plugin: good }],
      registry,
      '0.1.4',
      tf,
    );
    expect(warnings).toEqual([]);
    expect(loaded).toEqual([
      {
        name: 'toy',
        version: '1.0.0',
        coreRange: '^0.1.0',
        components: ['toy.encoder.constant.v1', 'toy.task.tagger.v1', 'toy.dataset.inline.v1'],
      },
    ]);
    expect(registry.get('task', 'toy.task.tagger.v1')?.provider).toEqual({
      name: 'toy',
      version: '1.0.0',
    });
  });

  it('refuses a plugin whose core range excludes this core, naming both versions', async () => {
    const registry = new ComponentRegistry();
    const { loaded, warnings } = await registerPlugins(
      [{ name: 'old-plugin', version: '3.0.0', coreRange: '^9.0.0', plugin: good }],
      registry,
      '0.1.0',
      tf,
    );
    expect(loaded).toEqual([]);
    expect(registry.list()).toEqual([]);
    expect(warnings[0]?.plugin).toBe('old-plugin');
    expect(warnings[0]?.message).toContain(
      'requires @stem/core ^9.0.0 but this stem has @stem/core 0.1.0',
    );
  });

  it('turns a throwing hook, a throwing register() and a malformed result into warnings and keeps going', async () => {
    const registry = new ComponentRegistry();
    const { loaded, warnings } = await registerPlugins(
      [
        { name: 'c-throws-in-hook', version: '1.0.0', error: new Error('boom in hook') },
        {
          name: 'b-throws-in-register',
          version: '1.0.0',
          plugin: {
            register() {
              throw new Error('boom in register');
            },
          },
        },
        { name: 'd-returns-nothing', version: '1.0.0', plugin: undefined },
        { name: 'a-good', version: '1.0.0', plugin: good },
      ],
      registry,
      '0.1.0',
      tf,
    );
    expect(warnings.map((w) => w.plugin)).toEqual([
      'b-throws-in-register',
      'c-throws-in-hook',
      'd-returns-nothing',
    ]);
    expect(warnings[0]?.message).toContain('boom in register');
    expect(warnings[1]?.message).toContain('boom in hook');
    expect(warnings[2]?.message).toContain('must return { register(stem)');
    expect(loaded.map((p) => p.name)).toEqual(['a-good', 'b-throws-in-register']);
    expect(registry.list()).toHaveLength(3);
  });
});

describe('checkCoreRange', () => {
  it('accepts matching, workspace and absent ranges and explains the rest', () => {
    expect(checkCoreRange('^0.1.0', '0.1.9')).toBeUndefined();
    expect(checkCoreRange('>=0.1 <0.3', '0.2.0')).toBeUndefined();
    expect(checkCoreRange('workspace:^', '0.1.0')).toBeUndefined();
    expect(checkCoreRange(undefined, '0.1.0')).toBeUndefined();
    expect(checkCoreRange('^0.2.0', '0.1.0')).toMatch(
      /requires @stem\/core \^0\.2\.0 but this stem has @stem\/core 0\.1\.0/,
    );
    expect(checkCoreRange('not a range', '0.1.0')).toMatch(/not a valid semver range/);
  });
});
