import { describe, expect, it } from 'vitest';
import * as tf from '@tensorflow/tfjs';
import { ComponentRegistry } from '../src/registry/component-registry.js';
import { createRegistrationFacade } from '../src/registry/registration-facade.js';
import { parseExperimentConfig } from '../src/config/load-config.js';
import { ConfigError } from '../src/config/config-error.js';
import { experimentJsonSchema } from '../src/config/json-schema.js';
import { applyOverrides } from '../src/config/overrides.js';
import { interpolate } from '../src/config/interpolate.js';
import { registerToyComponents } from './support.js';

function toyRegistry(): ComponentRegistry {
  const registry = new ComponentRegistry();
  registerToyComponents(
    createRegistrationFacade(registry, { name: 'toy', version: '1.0.0' }, '0.1.0', tf),
  );
  return registry;
}

const VALID = `
name: toy-run
seed: 7
paths:
  data: /data/ewt
encoder:
  type: toy.encoder.constant.v1
tasks:
  pos:
    type: toy.task.tagger.v1
    lr: 0.01
    dataset:
      type: toy.dataset.inline.v1
      path: \${paths.data}/train.conllu
`;

function problemsOf(text: string, overrides: string[] = []) {
  try {
    parseExperimentConfig(text, 'exp.yaml', toyRegistry(), { overrides });
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigError);
    return (error as ConfigError).problems;
  }
  throw new Error('expected the config to be rejected');
}

describe('experiment config', () => {
  it('validates, fills defaults and interpolates', () => {
    const config = parseExperimentConfig(VALID, 'exp.yaml', toyRegistry());
    expect(config.seed).toBe(7);
    expect(config.device).toBe('auto');
    expect(config.encoder).toEqual({ type: 'toy.encoder.constant.v1', hidden: 8 });
    expect(config.tasks.pos).toEqual({
      type: 'toy.task.tagger.v1',
      lr: 0.01,
      layers: 1,
      dataset: { type: 'toy.dataset.inline.v1', path: '/data/ewt/train.conllu' },
    });
    expect(config.output.directory).toBe('runs');
  });

  it('reads JSON as well as YAML', () => {
    const json = JSON.stringify({
      encoder: { type: 'toy.encoder.constant.v1' },
      tasks: {
        pos: { type: 'toy.task.tagger.v1', dataset: { type: 'toy.dataset.inline.v1', path: 'x' } },
      },
    });
    expect(parseExperimentConfig(json, 'exp.json', toyRegistry()).seed).toBe(42);
  });

  it('names the path, expected type and line of a wrongly typed field', () => {
    const problems = problemsOf(VALID.replace('lr: 0.01', 'lr: fast'));
    expect(problems).toEqual([
      {
        path: 'tasks.pos.lr',
        message: 'Invalid input: expected number, received string',
        line: 11,
      },
    ]);
  });

  it('names an unknown component type and the registered ones', () => {
    const problems = problemsOf(
      VALID.replace('type: toy.task.tagger.v1', 'type: toy.task.parser.v1'),
    );
    expect(problems[0]?.path).toBe('tasks.pos.type');
    expect(problems[0]?.message).toBe(
      'unknown task "toy.task.parser.v1"; registered tasks: toy.task.tagger.v1',
    );
  });

  it('answers a first-party component nobody registered with the plugins:add to run', () => {
    const problems = problemsOf(
      VALID.replace('type: toy.task.tagger.v1', 'type: stem.task.srl.span-ranking.v1'),
    );
    expect(problems[0]?.path).toBe('tasks.pos.type');
    expect(problems[0]?.message).toBe(
      'unknown task "stem.task.srl.span-ranking.v1"; registered tasks: toy.task.tagger.v1; it is provided by @stem/task-srl: run `stem plugins:add @stem/task-srl`',
    );
  });

  it('reports a missing required field at its path and unknown top-level keys', () => {
    const problems = problemsOf(VALID.replace(/ {6}path: .*\n/, '') + 'trainr: {}\n');
    expect(problems.map((p) => p.path)).toEqual(
      expect.arrayContaining(['tasks.pos.dataset.path', '']),
    );
    expect(problems.find((p) => p.path === '')?.message).toMatch(/trainr/);
  });

  it('reports YAML syntax errors with their line', () => {
    const problems = problemsOf('seed: 1\ntasks: [unclosed\n');
    expect(problems[0]?.message).toMatch(/^syntax error/);
    expect(problems[0]?.line).toBeGreaterThanOrEqual(2);
  });

  it('applies --set overrides before validation, with YAML typing', () => {
    const config = parseExperimentConfig(VALID, 'exp.yaml', toyRegistry(), {
      overrides: ['seed=99', 'tasks.pos.layers=3', 'paths.data=/elsewhere'],
    });
    expect(config.seed).toBe(99);
    expect(config.tasks.pos?.layers).toBe(3);
    expect(config.tasks.pos?.dataset.path).toBe('/elsewhere/train.conllu');
    expect(problemsOf(VALID, ['seed=-1'])[0]?.path).toBe('seed');
  });

  it('exports a JSON Schema listing every registered component', () => {
    const schema = JSON.stringify(experimentJsonSchema(toyRegistry()));
    for (const id of ['toy.encoder.constant.v1', 'toy.task.tagger.v1', 'toy.dataset.inline.v1'])
      expect(schema).toContain(id);
    expect(schema).toContain('Where the data is.');
  });
});

describe('overrides and interpolation', () => {
  it('creates intermediate objects and refuses to descend into scalars', () => {
    expect(applyOverrides({}, ['a.b.c=[1, 2]'])).toEqual({ a: { b: { c: [1, 2] } } });
    expect(() => applyOverrides({ a: 1 }, ['a.b=2'])).toThrow(/a is not an object/);
    expect(() => applyOverrides({}, ['novalue'])).toThrow(/path\.to\.field=value/);
  });

  it('keeps the type of a whole-string reference and reports dangling ones', () => {
    expect(interpolate({ n: 3, m: '${n}', s: 'x${n}' })).toEqual({ n: 3, m: 3, s: 'x3' });
    expect(() => interpolate({ m: '${missing.field}' })).toThrow(
      /m: \$\{missing\.field\} refers to a field that does not exist/,
    );
  });

  // Found by tools/fuzz: YAML aliases fail only when converted, with a bare ReferenceError.
  it('names the config file and line of an alias used before its anchor', () => {
    const text = VALID.replace('type: toy.encoder.constant.v1', 'type: *constant');
    expect(problemsOf(text)).toEqual([
      {
        path: '',
        message: expect.stringMatching(/^YAML: Unresolved alias .*: constant$/),
        line: 7,
      },
    ]);
  });

  // Found by tools/fuzz: a dangling reference in a config file named neither file nor line.
  it('names the config file and line of a dangling reference', () => {
    const text = VALID.replace('${paths.data}', '${paths.model}');
    expect(problemsOf(text)).toEqual([
      {
        path: 'tasks.pos.dataset.path',
        message: '${paths.model} refers to a field that does not exist',
        line: 14,
      },
    ]);
  });
});
