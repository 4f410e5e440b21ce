import { mkdtemp, readdir, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs';
import {
  type AdamW,
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

/** Each update the optimizer receives (gradients by variable position, rate), applied at rate 0. */
function recordUpdates(run: Awaited<ReturnType<typeof makeRun>>) {
  const optimizer = (run.trainer as unknown as { optimizer: AdamW }).optimizer;
  const positions = new Map(
    [
      ...run.encoder.trainableVariables(),
      ...run.tasks.flatMap((t) => t.head.trainableVariables()),
    ].map((variable, i) => [variable.name, i]),
  );
  const applied: Array<{ gradients: Map<number, Float32Array>; rate: number }> = [];
  const apply = optimizer.apply.bind(optimizer);
  optimizer.apply = (gradients, rate) => {
    applied.push({
      gradients: new Map(
        [...gradients]
          .map(
            ([name, g]) => [positions.get(name) as number, g.dataSync() as Float32Array] as const,
          )
          .sort(([a], [b]) => a - b),
      ),
      rate,
    });
    apply(gradients, 0);
  };
  return applied;
}

function maxRelativeDifference(a: Float32Array, b: number[]): number {
  const scale = Math.max(1e-6, ...b.map(Math.abs));
  return Math.max(...Array.from(a, (value, i) => Math.abs(value - (b[i] as number)))) / scale;
}

function weightsOf(encoder: ToyEncoder): Record<string, number[]> {
  return Object.fromEntries(
    Object.entries(encoder.weights()).map(([k, t]) => [k, Array.from(t.dataSync())]),
  );
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

  it('scores test on the tasks that have test sentences and names the ones that do not', async () => {
    const run = await makeRun({ tasks: ['pos', 'upos'], settings: { epochs: 1 } });
    (run.tasks[1] as { test?: unknown[] }).test = [];
    const result = await run.trainer.train();
    expect(Object.keys(result.test ?? {})).toEqual(['pos']);
    expect(result.testNotAvailable).toEqual(['upos']);
    expect(Object.keys(result.dev)).toEqual(['pos', 'upos']);
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

  it('applies the mean gradient of each `accumulate` batches, restarting at epoch ends, and never a rate of 0', async () => {
    const epochs = 3;
    // Weights stay at their start (every update applied at rate 0), so each batch's gradient
    // is the same in both runs and an accumulated one must be the mean of its batches.
    const settings = { epochs, clipNorm: 1e6, evaluateTest: false };
    const single = await makeRun({ settings });
    const perBatch = recordUpdates(single);
    await single.trainer.train();
    const stepsPerEpoch = single.events.find((e) => e.event === 'start')?.stepsPerEpoch as number;
    single.dispose();
    expect(perBatch).toHaveLength(epochs * stepsPerEpoch);
    // An accumulation that does not divide the epoch: flushing at epoch ends then makes more
    // updates than ceil(E*S/a), the count a schedule unaware of the flushes would plan.
    const accumulate = [3, 4, 5].find((a) => stepsPerEpoch % a !== 0) as number;
    const perEpoch = Math.ceil(stepsPerEpoch / accumulate);
    expect(epochs * perEpoch).toBeGreaterThan(Math.ceil((epochs * stepsPerEpoch) / accumulate));

    const run = await makeRun({ settings: { ...settings, accumulate } });
    const applied = recordUpdates(run);
    await run.trainer.train();
    const start = run.events.find((e) => e.event === 'start');
    const updates = run.events.filter((e) => e.event === 'update');
    expect(start?.totalUpdates).toBe(epochs * perEpoch);
    expect(updates).toHaveLength(epochs * perEpoch);
    // Groups of `accumulate` batches within each epoch; the last group of an epoch is shorter.
    const groups: Array<[number, number]> = [];
    for (let epoch = 0; epoch < epochs; epoch++)
      for (let from = 0; from < stepsPerEpoch; from += accumulate)
        groups.push([
          epoch * stepsPerEpoch + from,
          epoch * stepsPerEpoch + Math.min(stepsPerEpoch, from + accumulate),
        ]);
    expect(updates.map((e) => e.step)).toEqual(groups.map(([, to]) => to));
    groups.forEach(([from, to], k) => {
      const got = applied[k]!.gradients;
      expect([...got.keys()]).toEqual([...perBatch[from]!.gradients.keys()]);
      for (const [index, gradient] of got) {
        const mean = Array.from(gradient, (_, i) => {
          let sum = 0;
          for (let step = from; step < to; step++)
            sum += perBatch[step]!.gradients.get(index)![i] as number;
          return sum / (to - from);
        });
        expect(
          maxRelativeDifference(gradient, mean),
          `update ${k + 1}, variable ${index}`,
        ).toBeLessThan(1e-5);
      }
    });
    // The schedule runs to its end at the last update: positive throughout, smallest last.
    const rates = applied.map((a) => a.rate);
    const total = epochs * perEpoch;
    expect(rates.every((rate) => rate > 0)).toBe(true);
    expect(rates.at(-1)).toBeCloseTo(1 / (total - Math.floor(total * 0.1)), 10);
    expect(updates.map((e) => e.rateMultiplier)).toEqual(rates);
    run.dispose();
  });

  it('resumes a run with accumulation exactly', async () => {
    const settings = { epochs: 2, accumulate: 3, checkpointEvery: 2 };
    const whole = await makeRun({ settings });
    const expected = await whole.trainer.train();
    const expectedWeights = weightsOf(whole.encoder);
    whole.dispose();
    const crashed = await makeRun({
      settings,
      observer: {
        event: (record) => {
          if (record.event === 'update' && record.update === 5) throw new Error('simulated crash');
        },
      },
    });
    await expect(crashed.trainer.train()).rejects.toThrow('simulated crash');
    const state = JSON.parse(await readFile(join(crashed.directory, 'last', 'state.json'), 'utf8'));
    expect(state.optimizerUpdates).toBe(4);
    crashed.dispose();
    const resumed = await makeRun({ settings, directory: crashed.directory });
    expect(await resumed.trainer.train({ resume: true })).toEqual(expected);
    expect(weightsOf(resumed.encoder)).toEqual(expectedWeights);
    resumed.dispose();
  });

  it('stops early after `patience` epochs without a dev gain', async () => {
    const run = await makeRun({
      settings: { epochs: 20, patience: 2, headLearningRate: 1e-9, encoderLearningRate: 1e-9 },
    });
    const result = await run.trainer.train();
    // Epoch 1 sets the best score; at these rates epochs 2 and 3 cannot beat it, and after
    // `patience` = 2 of them training stops: exactly 3 epochs.
    expect(result.stoppedEarly).toBe(true);
    expect(result.epochsTrained).toBe(3);
    expect(result.best?.epoch).toBe(1);
    expect(run.events.filter((e) => e.event === 'dev').map((e) => e.improved)).toEqual([
      true,
      false,
      false,
    ]);
    expect(run.events.filter((e) => e.event === 'early-stop')).toEqual([
      { event: 'early-stop', epoch: 3, reason: 'patience', patience: 2 },
    ]);
    run.dispose();
  });
});
