import { describe, expect, it } from 'vitest';
import { type z } from 'zod';
import * as tf from '@tensorflow/tfjs';
import { ComponentRegistry } from '../src/registry/component-registry.js';
import {
  JSON_LINES_PREDICTION_FORMAT,
  predictionFormatsOf,
} from '../src/contracts/prediction-format.js';
import { createRegistrationFacade } from '../src/registry/registration-facade.js';
import { checkComponentId, parseComponentId } from '../src/registry/component-id.js';

const provider = { name: 'plugin-a', version: '1.2.3' };
const facade = (registry: ComponentRegistry, p = provider) =>
  createRegistrationFacade(registry, p, '0.1.0', tf);

const task = (id: string) => ({
  id,
  description: 'x',
  configSchema: (zod: typeof z) => zod.object({ size: zod.int() }),
  create: () => ({}) as never,
});

describe('component ids', () => {
  it('parses namespace, kind, name and version', () => {
    expect(parseComponentId('stem.task.pos.softmax.v1')).toEqual({
      namespace: 'stem',
      kind: 'task',
      name: 'pos.softmax',
      version: 1,
    });
    expect(parseComponentId('stem.task.pos')).toBeUndefined();
    expect(parseComponentId('Stem.task.pos.v1')).toBeUndefined();
    expect(parseComponentId('stem.task.pos.v0')).toBeUndefined();
  });

  it('rejects an id whose kind segment disagrees with the registration kind', () => {
    expect(checkComponentId('stem.task.pos.v1', 'task')).toBeUndefined();
    expect(checkComponentId('stem.encoder.pos.v1', 'task')).toMatch(
      /registered as a task.*names the kind "encoder"/,
    );
    expect(checkComponentId('pos', 'task')).toMatch(/not a versioned id/);
  });
});

describe('ComponentRegistry', () => {
  it('records the provider and lists components sorted by kind then id', () => {
    const registry = new ComponentRegistry();
    const stem = facade(registry);
    stem.registerTask(task('stem.task.zeta.v1'));
    stem.registerTask(task('stem.task.alpha.v2'));
    stem.registerEncoder({ ...task('stem.encoder.x.v1') } as never);
    expect(registry.list().map((c) => c.registration.id)).toEqual([
      'stem.encoder.x.v1',
      'stem.task.alpha.v2',
      'stem.task.zeta.v1',
    ]);
    expect(registry.get('task', 'stem.task.alpha.v2')?.provider).toEqual(provider);
    expect(registry.get('encoder', 'stem.task.alpha.v2')).toBeUndefined();
  });

  it('refuses a duplicate id, naming both providers', () => {
    const registry = new ComponentRegistry();
    facade(registry).registerTask(task('stem.task.pos.v1'));
    expect(() =>
      facade(registry, { name: 'plugin-b', version: '2.0.0' }).registerTask(
        task('stem.task.pos.v1'),
      ),
    ).toThrow(
      /plugin-b@2\.0\.0 registers "stem\.task\.pos\.v1", already registered by plugin-a@1\.2\.3/,
    );
  });

  it('refuses unversioned ids, non-object schemas and a schema that declares type', () => {
    const registry = new ComponentRegistry();
    const stem = facade(registry);
    expect(() => stem.registerTask(task('pos'))).toThrow(/not a versioned id/);
    expect(() =>
      stem.registerTask({
        ...task('stem.task.a.v1'),
        configSchema: (zod) => zod.string() as never,
      }),
    ).toThrow(/must return a z\.object/);
    expect(() =>
      stem.registerTask({
        ...task('stem.task.b.v1'),
        configSchema: (zod) => zod.object({ type: zod.string() }),
      }),
    ).toThrow(/must not declare "type"/);
    expect(registry.list()).toHaveLength(0);
  });

  it('require() names the registered ids of the kind when an id is unknown', () => {
    const registry = new ComponentRegistry();
    facade(registry).registerTask(task('stem.task.pos.v1'));
    expect(() => registry.require('task', 'stem.task.ner.v1')).toThrowError(
      expect.objectContaining({
        message: 'unknown task "stem.task.ner.v1"',
        hint: 'registered tasks: stem.task.pos.v1; it is provided by @stem/task-ner: run `stem plugins:add @stem/task-ner`',
      }),
    );
  });

  it('require() of a third-party id with nothing of its kind registered points at plugins:add', () => {
    const registry = new ComponentRegistry();
    expect(() => registry.require('analyzer', 'acme.analyzer.x.v1')).toThrowError(
      expect.objectContaining({
        hint: 'no analyzer is registered; install a plugin that provides one (stem plugins:add <package>)',
      }),
    );
  });

  it('adds a literal type to each schema', () => {
    const registry = new ComponentRegistry();
    facade(registry).registerTask(task('stem.task.pos.v1'));
    const schema = registry.require('task', 'stem.task.pos.v1').schema;
    expect(schema.safeParse({ type: 'stem.task.pos.v1', size: 3 }).success).toBe(true);
    expect(schema.safeParse({ type: 'stem.task.ner.v1', size: 3 }).success).toBe(false);
  });
});

describe('task prediction formats', () => {
  const format = (name: string) => ({
    name,
    extension: name,
    description: 'x',
    write: () => '',
  });

  it('keeps the declared formats (default first) and falls back to JSON lines', () => {
    const registry = new ComponentRegistry();
    facade(registry).registerTask({
      ...task('acme.task.a.v1'),
      predictionFormats: [format('conllu'), format('bio')],
    });
    facade(registry).registerTask(task('acme.task.b.v1'));
    const formatsOf = (id: string) =>
      predictionFormatsOf(registry.require('task', id).registration).map((f) => f.name);
    expect(formatsOf('acme.task.a.v1')).toEqual(['conllu', 'bio']);
    expect(formatsOf('acme.task.b.v1')).toEqual(['jsonl']);
    const sentence = { id: 's', words: ['a'], annotations: { pos: ['X'] } };
    expect(
      JSON.parse(JSON_LINES_PREDICTION_FORMAT.write([sentence], { task: 't', config: {} })),
    ).toEqual(sentence);
  });

  it('rejects duplicate or malformed formats, naming the plugin and task', () => {
    const registry = new ComponentRegistry();
    expect(() =>
      facade(registry).registerTask({
        ...task('acme.task.c.v1'),
        predictionFormats: [format('bio'), format('bio')],
      }),
    ).toThrow(/plugin-a@1\.2\.3: task "acme\.task\.c\.v1" declares prediction format "bio" twice/);
    expect(() =>
      facade(registry).registerTask({
        ...task('acme.task.d.v1'),
        predictionFormats: [format('Bad Name')],
      }),
    ).toThrow(/task "acme\.task\.d\.v1" declares a malformed prediction format "Bad Name"/);
  });
});
