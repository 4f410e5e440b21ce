import { mkdtemp, readdir, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs';
import {
  SeededRandom,
  StemError,
  Trainer,
  trainerSettingsSchema,
  type TrainerSettings,
  type TrainingObserver,
  type TrainingTask,
} from '@stem/core';
import { beforeAll, describe, expect, it } from 'vitest';
import { ToyEncoder, ToyTagger, syntheticTaggedSentences } from '../src/index.js';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

const train = syntheticTaggedSentences(120, 1, 'train');
const dev = syntheticTaggedSentences(30, 2, 'dev');
const test = syntheticTaggedSentences(30, 3, 'test');

interface RunOptions {
  settings?: Partial<TrainerSettings>;
  tasks?: Array<'pos' | 'upos'>;
  nanFromCall?: number;
  observer?: Partial<TrainingObserver>;
  directory?: string;
}

/** Builds encoder, heads and trainer from scratch, as a fresh process would. */
async function makeRun(options: RunOptions = {}) {
  const directory = options.directory ?? (await mkdtemp(join(tmpdir(), 'stem-trainer-')));
  const seed = 17;
  const random = new SeededRandom(seed);
  const encoder = new ToyEncoder(tf, random.fork('encoder'), { hiddenSize: 16, wordDropout: 0.1 });
  const tasks: TrainingTask[] = (options.tasks ?? ['pos']).map((name) => {
    // The 'upos' task reads the coarse tags through the same head class.
    const relabel = (sentences: typeof train) =>
      name === 'pos'
        ? sentences
        : sentences.map((s) => ({ ...s, annotations: { pos: s.annotations.upos } }));
    const trainSplit = relabel(train);
    return {
      name,
      head: new ToyTagger(
        tf,
        16,
        ToyTagger.tagsOf(trainSplit),
        random.fork(`tasks.${name}`),
        options.nanFromCall,
      ),
      train: trainSplit,
      dev: relabel(dev),
      test: relabel(test),
    };
  });
  const events: Array<Record<string, unknown>> = [];
  const settings = trainerSettingsSchema.parse({
    epochs: 3,
    maxSentencesPerBatch: 16,
    maxSubwordsPerBatch: 200,
    headLearningRate: 0.1,
    encoderLearningRate: 0.05,
    checkpointEvery: 4,
    ...options.settings,
  });
  const trainer = new Trainer({
    tf,
    encoder,
    tasks,
    settings,
    random: random.fork('trainer'),
    checkpoints: { last: join(directory, 'last'), best: join(directory, 'best') },
    observer: {
      event: async (record) => {
        events.push(record);
        await options.observer?.event?.(record);
      },
    },
  });
  const dispose = () => {
    trainer.dispose();
    encoder.dispose();
    for (const task of tasks) task.head.dispose();
  };
  return { trainer, encoder, tasks, events, directory, dispose };
}

describe('Trainer', () => {
  it('learns a single task: dev accuracy rises far above its starting point', async () => {
    const run = await makeRun({ settings: { epochs: 4 } });
    const before = (await run.trainer.evaluate('dev')).pos?.scores.accuracy as number;
    const result = await run.trainer.train();
    expect(result.dev.pos?.scores.accuracy).toBeGreaterThan(0.9);
    expect(result.dev.pos?.scores.accuracy).toBeGreaterThan(before + 0.3);
    expect(result.test?.pos?.scores.accuracy).toBeGreaterThan(0.9);
    expect(result.epochsTrained).toBe(4);
    expect(run.events.filter((e) => e.event === 'dev')).toHaveLength(4);
    run.dispose();
  });

  it('resumes after a crash mid-epoch and ends exactly where an uninterrupted run ends', async () => {
    const whole = await makeRun();
    const expected = await whole.trainer.train();
    const expectedWeights = Object.fromEntries(
      Object.entries(whole.encoder.weights()).map(([k, t]) => [k, Array.from(t.dataSync())]),
    );
    whole.dispose();

    // Crash right after update 10 (mid-epoch 2); the checkpoint of update 8 survives.
    const crashed = await makeRun({
      observer: {
        event: (record) => {
          if (record.event === 'update' && record.update === 10) throw new Error('simulated crash');
        },
      },
    });
    await expect(crashed.trainer.train()).rejects.toThrow('simulated crash');
    const state = JSON.parse(await readFile(join(crashed.directory, 'last', 'state.json'), 'utf8'));
    expect(state.optimizerUpdates).toBe(8);
    crashed.dispose();

    const resumed = await makeRun({ directory: crashed.directory });
    const result = await resumed.trainer.train({ resume: true });
    expect(result).toEqual(expected);
    const weights = Object.fromEntries(
      Object.entries(resumed.encoder.weights()).map(([k, t]) => [k, Array.from(t.dataSync())]),
    );
    expect(weights).toEqual(expectedWeights);
    resumed.dispose();
  });

  it('trains several tasks, one task per batch, with balanced losses', async () => {
    const run = await makeRun({ tasks: ['pos', 'upos'], settings: { epochs: 2 } });
    const result = await run.trainer.train();
    const updates = run.events.filter((e) => e.event === 'update');
    expect(new Set(updates.map((e) => e.task))).toEqual(new Set(['pos', 'upos']));
    expect(updates.some((e) => (e.weight as number) !== 1)).toBe(true);
    expect(Object.keys(result.dev)).toEqual(['pos', 'upos']);
    expect(result.dev.upos?.scores.accuracy).toBeGreaterThan(0.8);
    run.dispose();
  });

  it('stops on a NaN loss naming the task and step, keeping the last good checkpoint', async () => {
    const run = await makeRun({ nanFromCall: 7 });
    const error = await run.trainer.train().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(StemError);
    expect((error as StemError).code).toBe('NAN_LOSS');
    expect((error as Error).message).toMatch(
      /task "pos" produced a NaN loss at step 6 \(epoch 1\)/,
    );
    const files = await readdir(join(run.directory, 'last'));
    expect(files.filter((f) => f.startsWith('weights-'))).toEqual(['weights-00000004.safetensors']);
    run.dispose();
  });

  it('keeps the tensor count flat across epochs', async () => {
    const counts: number[] = [];
    const run = await makeRun({
      settings: { epochs: 4 },
      observer: { event: (r) => void (r.event === 'dev' && counts.push(tf.memory().numTensors)) },
    });
    await run.trainer.train();
    expect(counts).toHaveLength(4);
    expect(new Set(counts.slice(1)).size).toBe(1);
    run.dispose();
  });

  it('accumulates gradients over `accumulate` mini-batches per update', async () => {
    const single = await makeRun({ settings: { epochs: 1 } });
    await single.trainer.train();
    const steps = single.events.filter((e) => e.event === 'update').length;
    single.dispose();
    const run = await makeRun({ settings: { epochs: 1, accumulate: 3 } });
    await run.trainer.train();
    const updates = run.events.filter((e) => e.event === 'update');
    expect(updates).toHaveLength(Math.ceil(steps / 3));
    expect(updates.map((e) => e.step)).toEqual(
      Array.from({ length: Math.ceil(steps / 3) }, (_, i) => Math.min(steps, 3 * (i + 1))),
    );
    run.dispose();
  });

  it('stops early after `patience` epochs without a dev gain', async () => {
    const run = await makeRun({
      settings: { epochs: 20, patience: 2, headLearningRate: 1e-9, encoderLearningRate: 1e-9 },
    });
    const result = await run.trainer.train();
    expect(result.stoppedEarly).toBe(true);
    expect(result.epochsTrained).toBeLessThan(20);
    expect(run.events.some((e) => e.event === 'early-stop')).toBe(true);
    run.dispose();
  });
});
