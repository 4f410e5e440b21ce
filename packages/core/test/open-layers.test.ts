import 'reflect-metadata';
import * as tf from '@tensorflow/tfjs';
import { describe, expect, expectTypeOf, it } from 'vitest';
import type { AnnotationLayer, LabeledSpan, Sentence } from '../src/contracts/annotations.js';
import type { DatasetReader } from '../src/contracts/dataset-reader.js';
import type { TaskHead } from '../src/contracts/task-head.js';
import { parseExperimentConfig } from '../src/config/load-config.js';
import { createProcessContainer, createRunContainer } from '../src/di/run-container.js';
import { StemError } from '../src/errors.js';
import { ComponentRegistry } from '../src/registry/component-registry.js';
import { createRegistrationFacade } from '../src/registry/registration-facade.js';
import { buildExperiment } from '../src/run/experiment.js';

// What a third-party plugin writes (against '@stem/core'; here against core's own module):
// a layer core has never heard of, typed beside the five.
declare module '../src/contracts/annotations.js' {
  interface Annotations {
    chunks: LabeledSpan[];
  }
}

/** Sentences with chunks, the second without them (it is dropped for the chunk task). */
const CHUNKED: Sentence[] = [
  {
    id: 's1',
    words: ['He', 'reckons', 'the', 'deficit'],
    annotations: {
      pos: ['PRP', 'VBZ', 'DT', 'NN'],
      chunks: [
        { start: 0, end: 1, label: 'NP' },
        { start: 1, end: 2, label: 'VP' },
        { start: 2, end: 4, label: 'NP' },
      ],
    },
  },
  { id: 's2', words: ['Hi'], annotations: { pos: ['UH'] } },
  {
    id: 's3',
    words: ['Rates', 'fell'],
    annotations: {
      chunks: [
        { start: 0, end: 1, label: 'NP' },
        { start: 1, end: 2, label: 'VP' },
      ],
    },
  },
];

interface Seen {
  requires?: readonly string[];
  train?: readonly Sentence[];
}

/** A registry with an inline dataset and a task whose config names the layer it requires. */
function registryWith(seen: Seen): ComponentRegistry {
  const registry = new ComponentRegistry();
  const stem = createRegistrationFacade(
    registry,
    { name: '@third/chunks', version: '1.0.0' },
    '0.1.0',
    tf,
  );
  stem.registerEncoder({
    id: 'toy.encoder.shape.v1',
    description: 'an encoder that only has a shape',
    configSchema: (z) => z.object({}),
    create: () => ({ shape: { layers: 1, heads: 1, hiddenSize: 4, maxPositions: 8 } }) as never,
  });
  stem.registerDataset<{ layers: string[] }>({
    id: 'third.dataset.inline.v1',
    description: 'sentences given inline',
    configSchema: (z) => z.object({ layers: z.array(z.string()).default(['chunks', 'pos']) }),
    create: (config): DatasetReader => ({
      layers: config.layers as AnnotationLayer[],
      read: async (split) => (split === 'train' ? CHUNKED : CHUNKED.slice(0, 1)),
    }),
  });
  stem.registerTask<{ layer: string }>({
    id: 'third.task.layer.v1',
    description: 'a head that requires the layer its config names',
    configSchema: (z) => z.object({ layer: z.string().min(1) }),
    create: (config, input) => {
      if (config.layer === 'unbuildable')
        throw Object.assign(new Error('no labels of the layer in the training sentences'), {
          hint: 'give it a corpus with labels',
        });
      seen.requires = [config.layer];
      seen.train = input.trainingSentences;
      return {
        requires: [config.layer as AnnotationLayer],
        labels: () => ({}),
        dispose: () => undefined,
      } as unknown as TaskHead;
    },
  });
  return registry;
}

const config = (layer: string) => `
encoder:
  type: toy.encoder.shape.v1
tasks:
  chunk:
    type: third.task.layer.v1
    layer: ${layer}
    dataset:
      type: third.dataset.inline.v1
`;

async function build(registry: ComponentRegistry, text: string) {
  const experiment = parseExperimentConfig(text, 'chunk.yaml', registry);
  const processContainer = createProcessContainer({
    registry,
    tf,
    backend: {
      requested: 'js',
      device: 'js',
      backend: 'cpu',
      package: 'cpu',
      tfjsVersion: tf.version.tfjs,
      skipped: [],
    },
  });
  return buildExperiment(createRunContainer(processContainer, { config: experiment }), experiment);
}

describe('annotation layers are open', () => {
  it('types a layer a plugin declares beside the five, and keeps the five typed', () => {
    // expectTypeOf fails only under tsc: `pnpm typecheck` (CI) checks test/ too (tsconfig.json).
    expectTypeOf<AnnotationLayer>().toEqualTypeOf<
      'pos' | 'upos' | 'dep' | 'con' | 'ner' | 'srl' | 'chunks'
    >();
    expectTypeOf<Sentence['annotations']['chunks']>().toEqualTypeOf<LabeledSpan[] | undefined>();
    expectTypeOf<Sentence['annotations']['pos']>().toEqualTypeOf<string[] | undefined>();
  });

  it('validates a config naming a new layer and feeds its sentences to the task that requires it', async () => {
    const seen: Seen = {};
    const built = await build(registryWith(seen), config('chunks'));
    expect(seen.requires).toEqual(['chunks']);
    const [task] = built.tasks;
    expect(task?.train.map((s) => s.id)).toEqual(['s1', 's3']);
    expect(task?.train[0]?.annotations.chunks).toEqual(CHUNKED[0]?.annotations.chunks);
    expect(task?.dev.map((s) => s.id)).toEqual(['s1']);
    expect(built.skipped).toEqual({ chunk: { train: 1, dev: 0, test: 0 } });
  });

  it('names the layers the data carries and the likely intended one when a layer is misspelt', async () => {
    const error = await build(registryWith({}), config('chunk')).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(StemError);
    expect((error as StemError).message).toBe(
      'task "chunk": no training sentence carries the layers it needs (chunk); none carries chunk; ' +
        'the sentences of tasks.chunk.dataset (third.dataset.inline.v1) carry chunks, pos',
    );
    expect((error as StemError).hint).toMatch(/did you mean "chunks" instead of "chunk"\?/);
  });

  it('says which layer no dataset provides when nothing is close', async () => {
    const error = (await build(registryWith({}), config('sentiment')).catch(
      (e: unknown) => e,
    )) as StemError;
    expect(error.message).toMatch(/none carries sentiment; .* carry chunks, pos$/);
    expect(error.hint).toMatch(/point tasks\.chunk\.dataset at a corpus with those annotations/);
  });

  it("names the task and its type when its head cannot be built, keeping the head's hint", async () => {
    const error = (await build(registryWith({}), config('unbuildable')).catch(
      (e: unknown) => e,
    )) as StemError;
    expect(error).toBeInstanceOf(StemError);
    expect(error.message).toBe(
      'tasks.chunk (third.task.layer.v1): no labels of the layer in the training sentences',
    );
    expect(error.hint).toBe('give it a corpus with labels');
  });
});
