import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { ComponentRegistry } from '../src/registry/component-registry.js';
import { createRegistrationFacade } from '../src/registry/registration-facade.js';
import { loadExperimentConfig, parseExperimentConfig } from '../src/config/load-config.js';
import { ConfigError } from '../src/config/config-error.js';
import { experimentJsonSchema } from '../src/config/json-schema.js';
import { loadConfigFile } from '../src/config/config-file.js';
import { strictSchema } from '../src/config/strict-schema.js';
import { closestKey, editDistance } from '../src/config/closest-key.js';
import { registerToyComponents } from './support.js';

function toyRegistry(): ComponentRegistry {
  const registry = new ComponentRegistry();
  const stem = createRegistrationFacade(registry, { name: 'toy', version: '1.0.0' }, '0.1.0', tf);
  registerToyComponents(stem);
  // A plugin schema with a nested section and one deliberately open section.
  stem.registerAnalyzer({
    id: 'toy.analyzer.nested.v1',
    description: 'nested settings',
    configSchema: (zod) =>
      zod.object({
        probe: zod
          .object({
            split: zod.enum(['dev', 'test']).default('test'),
            layers: zod.int().optional(),
          })
          .optional(),
        extra: zod.looseObject({}).optional(),
      }),
    create: () => ({}) as never,
  });
  return registry;
}

const CONFIG = `encoder:
  type: toy.encoder.constant.v1
tasks:
  pos:
    type: toy.task.tagger.v1
    limt: { train: 20 }
    dataset:
      type: toy.dataset.inline.v1
      path: data/train.conllu
`;

function rejection(run: () => unknown): ConfigError {
  try {
    run();
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigError);
    return error as ConfigError;
  }
  throw new Error('expected the config to be rejected');
}

describe('unknown keys', () => {
  it('rejects a misspelt key in a task section, at its line, with the closest known key', () => {
    const error = rejection(() => parseExperimentConfig(CONFIG, 'exp.yaml', toyRegistry()));
    expect(error.code).toBe('CONFIG_INVALID');
    expect(error.problems).toEqual([
      {
        path: 'tasks.pos',
        key: 'limt',
        message: 'unknown key "limt" (did you mean "limit"?)',
        line: 6,
      },
    ]);
    expect(error.message).toContain(
      'exp.yaml:6: tasks.pos: unknown key "limt" (did you mean "limit"?)',
    );
  });

  it('rejects unknown keys in plugin-registered schemas, nested sections included', () => {
    const registry = toyRegistry();
    const analyzer = registry.require('analyzer', 'toy.analyzer.nested.v1').schema;
    const nested = analyzer.safeParse({ type: 'toy.analyzer.nested.v1', probe: { spilt: 'dev' } });
    expect(nested.error?.issues).toMatchObject([
      { path: ['probe'], message: 'unknown key "spilt" (did you mean "split"?)' },
    ]);
    const dataset = rejection(() =>
      parseExperimentConfig(
        CONFIG.replace('limt: { train: 20 }', 'lr: 0.1').replace(
          'path: data/train.conllu',
          'path: data/train.conllu\n      pth: other',
        ),
        'exp.yaml',
        registry,
      ),
    );
    expect(dataset.problems).toEqual([
      {
        path: 'tasks.pos.dataset',
        key: 'pth',
        message: 'unknown key "pth" (did you mean "path"?)',
        line: 10,
      },
    ]);
  });

  it('keeps a section the plugin declared open, and keeps descriptions for the JSON Schema', () => {
    const registry = toyRegistry();
    const analyzer = registry.require('analyzer', 'toy.analyzer.nested.v1').schema;
    expect(
      analyzer.parse({ type: 'toy.analyzer.nested.v1', extra: { anything: 1 } }).extra,
    ).toEqual({ anything: 1 });
    const schema = JSON.stringify(experimentJsonSchema(registry));
    expect(schema).toContain('Where the data is.');
    expect(schema).toContain('"additionalProperties":false');
  });

  it('makes wrapped objects strict: optional, default, union, array, record', () => {
    const schema = strictSchema(
      z.object({
        list: z.array(z.object({ name: z.string() })).default([]),
        either: z.union([z.boolean(), z.object({ rate: z.number() })]).optional(),
        byName: z.record(z.string(), z.object({ size: z.int() })),
      }),
    );
    const issues = (input: unknown) =>
      schema.safeParse(input).error?.issues.map((i) => [i.path.join('.'), i.message]) ?? [];
    expect(issues({ list: [{ name: 'a', nme: 'b' }], byName: {} })).toEqual([
      ['list.0', 'unknown key "nme" (did you mean "name"?)'],
    ]);
    expect(issues({ byName: { a: { size: 1, colour: 2 } } })).toEqual([
      ['byName.a', 'unknown key "colour"'],
    ]);
    expect(issues({ byName: {}, either: { rate: 1, rat: 2 } }).length).toBeGreaterThan(0);
    expect(issues({ byName: {}, either: true })).toEqual([]);
  });
});

describe('closest key', () => {
  it('counts a swap of two neighbours as one edit', () => {
    expect(editDistance('ecnoder', 'encoder')).toBe(1);
    expect(editDistance('limt', 'limit')).toBe(1);
    expect(editDistance('abc', 'abc')).toBe(0);
  });

  it('suggests only keys close enough to be a typo', () => {
    expect(closestKey('limt', ['type', 'dataset', 'limit'])).toBe('limit');
    expect(closestKey('colour', ['size'])).toBeUndefined();
  });
});

describe('the config loader', () => {
  it('reports a file that does not exist as CONFIG_INVALID naming it', async () => {
    const directory = await mkdtemp(join(tmpdir(), 'stem-config-'));
    const absent = join(directory, 'absent.yaml');
    await expect(loadExperimentConfig(absent, toyRegistry())).rejects.toMatchObject({
      code: 'CONFIG_INVALID',
      message: expect.stringContaining(`cannot read config ${absent}: it does not exist`),
    });
  });

  it('interpolates and overrides any config it loads against its schema', async () => {
    const directory = await mkdtemp(join(tmpdir(), 'stem-config-'));
    const file = join(directory, 'any.yaml');
    await writeFile(file, 'paths: { root: /data }\nwhere: ${paths.root}/x\ncount: 1\n');
    const schema = z.object({
      paths: z.record(z.string(), z.string()),
      where: z.string(),
      count: z.int(),
    });
    const { config } = await loadConfigFile(file, { schema, overrides: ['count=3'] });
    expect(config).toEqual({ paths: { root: '/data' }, where: '/data/x', count: 3 });
  });
});
