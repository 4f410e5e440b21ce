import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs';
import {
  SeededRandom,
  Trainer,
  trainerSettingsSchema,
  type NamedTrainingComponent,
  type Sentence,
  type TaskHead,
  type TensorFlow,
} from '@stem/core';
import { ToyTagger, syntheticTaggedSentences } from '@stem/testing';
import { ToyAttentionEncoder } from './toy-attention-encoder.js';

export const TRAIN = syntheticTaggedSentences(48, 3, 'train');
export const DEV = syntheticTaggedSentences(8, 4, 'dev');
export const WORDS = [...new Set(TRAIN.flatMap((s) => s.words))].sort();

/** A tagger over `pos` (PTB tags) or `upos` (coarse tags) with weights from `seed`. */
export function tagger(seed: number, layer: 'pos' | 'upos' = 'pos'): TaskHead {
  const inner = new ToyTagger(
    tf as unknown as TensorFlow,
    6,
    [
      ...new Set(
        TRAIN.flatMap((s) => (layer === 'pos' ? s.annotations.pos : s.annotations.upos) ?? []),
      ),
    ].sort(),
    new SeededRandom(seed),
  );
  if (layer === 'pos') return inner;
  // ToyTagger reads `pos`: hand it the coarse tags under that key.
  const asPos = (sentences: readonly Sentence[]) =>
    sentences.map((s) => ({ ...s, annotations: { ...s.annotations, pos: s.annotations.upos } }));
  return new Proxy(inner, {
    get(target, property, receiver) {
      if (property === 'loss')
        return (
          encoded: Parameters<TaskHead['loss']>[0],
          sentences: readonly Sentence[],
          context: Parameters<TaskHead['loss']>[2],
        ) => target.loss(encoded, asPos(sentences), context);
      const value = Reflect.get(target, property, receiver) as unknown;
      return typeof value === 'function' ? value.bind(target) : value;
    },
  });
}

export interface HarnessRun {
  trainer: Trainer;
  encoder: ToyAttentionEncoder;
  directory: string;
  /** Every weight of encoder and heads after training, as plain arrays. */
  finalWeights(): Record<string, number[]>;
  dispose(): void;
}

/** A short MTL run of the toy attention encoder with the given heads and components. */
export async function harnessRun(options: {
  tasks: ReadonlyArray<{ name: string; head: TaskHead }>;
  components?: NamedTrainingComponent[];
  maxSteps: number;
  directory?: string;
  /** Sees every trainer event (may throw, to stop a run as a kill would). */
  onEvent?: (record: Record<string, unknown>) => void;
}): Promise<HarnessRun> {
  const directory = options.directory ?? (await mkdtemp(join(tmpdir(), 'stem-conflict-')));
  const encoder = new ToyAttentionEncoder(tf as unknown as TensorFlow, WORDS, 7);
  const trainer = new Trainer({
    tf: tf as unknown as TensorFlow,
    encoder,
    tasks: options.tasks.map(({ name, head }) => ({ name, head, train: TRAIN, dev: DEV })),
    components: options.components ?? [],
    settings: trainerSettingsSchema.parse({
      epochs: 5,
      maxSteps: options.maxSteps,
      patience: 100,
      maxSentencesPerBatch: 8,
      maxSubwordsPerBatch: 200,
      encoderLearningRate: 0.01,
      headLearningRate: 0.05,
      warmup: 0,
      balanceLosses: false,
      checkpointEvery: 2,
      evaluateTest: false,
    }),
    random: new SeededRandom(21).fork('trainer'),
    checkpoints: { last: join(directory, 'last'), best: join(directory, 'best') },
    observer: { event: (record) => options.onEvent?.(record) },
  });
  return {
    trainer,
    encoder,
    directory,
    finalWeights: () => {
      const named: Record<string, number[]> = {};
      for (const [name, tensor] of Object.entries(encoder.weights()))
        named[`encoder/${name}`] = Array.from(tensor.dataSync());
      for (const { name, head } of options.tasks)
        for (const [weight, tensor] of Object.entries(head.weights()))
          named[`task/${name}/${weight}`] = Array.from(tensor.dataSync());
      return named;
    },
    dispose: () => {
      trainer.dispose();
      encoder.dispose();
      for (const { head } of options.tasks) head.dispose();
      for (const { component } of options.components ?? []) component.dispose();
    },
  };
}
