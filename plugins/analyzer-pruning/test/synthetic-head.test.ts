import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { registerHook as exampleTaskHook } from '@stem/example-task-plugin';
import {
  CORE_VERSION,
  ComponentRegistry,
  SeededRandom,
  Trainer,
  createProcessContainer,
  registerPlugins,
  trainerSettingsSchema,
  type TaskHead,
  type TrainingObserver,
} from '@stem/core';
import { ToyTagger } from '@stem/testing';
import { beforeAll, describe, expect, it } from 'vitest';
import { HardConcreteHeadGates, type HeadGatesReport } from '../src/head-gates.js';
import {
  LEXICON_WORDS,
  OneSignalHeadEncoder,
  randomTaggedSentences,
} from './support/one-signal-head-encoder.js';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

const train = randomTaggedSentences(160, 1);
const dev = randomTaggedSentences(40, 2);

async function pruningRun(
  options: {
    ignoreGates?: boolean;
    tasks?: ReadonlyArray<'pos' | 'capitalisation'>;
    /** The gates' lambda; `paper` leaves it to the per-task default. */
    lambda?: number | 'paper';
    directory?: string;
    epochs?: number;
    observer?: Partial<TrainingObserver>;
  } = {},
) {
  const directory = options.directory ?? (await mkdtemp(join(tmpdir(), 'stem-pruning-')));
  const random = new SeededRandom(11);
  const encoder = new OneSignalHeadEncoder(tf, LEXICON_WORDS, 3, options.ignoreGates);
  const tasks = await Promise.all(
    (options.tasks ?? ['pos']).map(async (name) => ({
      name,
      type: name === 'pos' ? 'stem.task.pos.softmax.v1' : 'example.task.capitalisation.v1',
      head:
        name === 'pos'
          ? new ToyTagger(tf, 8, ToyTagger.tagsOf(train), random.fork('tasks.pos'))
          : await exampleTaskHead(random.fork('tasks.capitalisation')),
    })),
  );
  // A larger gate rate and lambda than the paper's, so a test run of ~100 steps settles.
  const lambda = options.lambda ?? 0.05;
  const gates = new HardConcreteHeadGates(
    tf,
    { learningRate: 0.1, ...(lambda === 'paper' ? {} : { lambda }) },
    { encoderShape: encoder.shape, tasks: tasks.map(({ name, type }) => ({ name, type })) },
    random.fork('trainingComponents.pruning'),
  );
  const events: Array<Record<string, unknown>> = [];
  const trainer = new Trainer({
    tf,
    encoder,
    tasks: tasks.map(({ name, head }) => ({ name, head, train, dev })),
    components: [{ name: 'pruning', component: gates }],
    settings: trainerSettingsSchema.parse({
      epochs: options.epochs ?? 10,
      patience: 100,
      maxSentencesPerBatch: 16,
      maxSubwordsPerBatch: 400,
      headLearningRate: 0.05,
      checkpointEvery: 5,
      evaluateTest: false,
    }),
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
    gates.dispose();
  };
  return { trainer, gates, events, directory, dispose };
}

/** The example third-party task, built through its own registration as a run would. */
async function exampleTaskHead(random: SeededRandom): Promise<TaskHead> {
  const registry = new ComponentRegistry();
  await registerPlugins(
    [
      {
        name: '@stem/example-task-plugin',
        version: '0.0.0',
        plugin: await exampleTaskHook({ coreVersion: CORE_VERSION }),
      },
    ],
    registry,
    CORE_VERSION,
    tf,
  );
  const container = createProcessContainer({
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
  return registry
    .require('task', 'example.task.capitalisation.v1')
    .registration.create(
      { initScale: 0.02 },
      { hiddenSize: 8, trainingSentences: train },
      { tf, random, container },
    );
}

describe('pruning a toy encoder whose label passes through one head', () => {
  it('keeps that head and closes the others', async () => {
    const run = await pruningRun();
    const before = tf.memory().numTensors;
    const result = await run.trainer.train();
    const report = run.gates.report();
    const { layer, head } = OneSignalHeadEncoder.SIGNAL;
    expect(report.gates[layer]?.[head]).toBeGreaterThan(0.5);
    expect(report.kept[layer]?.[head]).toBe(1);
    // Every one of the 7 other heads is pruned.
    expect(report.keptHeads).toBe(1);
    expect(report.keptFraction).toBeCloseTo(1 / 8, 12);
    expect(result.dev.pos?.scores.accuracy).toBeGreaterThan(0.95);
    // The gates of every dev evaluation are in the NDJSON events, and the final report.
    const devEvents = run.events.filter((e) => e.event === 'dev');
    expect(devEvents).toHaveLength(10);
    const firstGates = (devEvents[0]?.components as Record<string, HeadGatesReport>).pruning;
    expect(firstGates?.gates).toHaveLength(2);
    expect((result.components?.pruning as HeadGatesReport).keptHeads).toBe(1);
    expect(tf.memory().numTensors).toBe(before);
    run.dispose();
  }, 60_000);

  it('works the same for the third-party example task (capitalisation), reached through its registration', async () => {
    const run = await pruningRun({ tasks: ['capitalisation'] });
    const result = await run.trainer.train();
    const report = run.gates.report();
    const { layer, head } = OneSignalHeadEncoder.SIGNAL;
    expect(report.kept[layer]?.[head]).toBe(1);
    expect(report.keptHeads).toBe(1);
    // lambda 0.05 was configured; the example task would otherwise get the fallback 0.01.
    expect(report.lambdaSource).toBe('config');
    // Half the words are capitalised: chance is 0.5; the head learns through the one open gate.
    const capitalisation = result.dev.capitalisation;
    expect(capitalisation?.scores[capitalisation.primary]).toBeGreaterThan(0.75);
    run.dispose();
  }, 60_000);

  it('shares one gate set between the tasks of an MTL run, with the MTL lambda 0.001 by default', async () => {
    const run = await pruningRun({ tasks: ['pos', 'capitalisation'], lambda: 'paper', epochs: 4 });
    const result = await run.trainer.train();
    const report = run.gates.report();
    expect(report.lambda).toBe(0.001);
    expect(report.lambdaSource).toBe('paper-mtl');
    const { layer, head } = OneSignalHeadEncoder.SIGNAL;
    // Both tasks need the signal head: its gate opens further than at initialisation (< 0.9).
    expect(report.gates[layer]?.[head]).toBeGreaterThan(0.9);
    expect(Object.keys(result.dev)).toEqual(['pos', 'capitalisation']);
    expect(Object.keys(result.components ?? {})).toEqual(['pruning']);
    run.dispose();
  }, 60_000);

  it('fails when the encoder ignores headGates: the penalty then closes the signal head too', async () => {
    const run = await pruningRun({ ignoreGates: true });
    await run.trainer.train();
    const report = run.gates.report();
    const { layer, head } = OneSignalHeadEncoder.SIGNAL;
    expect(report.kept[layer]?.[head]).toBe(0);
    expect(report.keptHeads).toBe(0);
    run.dispose();
  }, 60_000);

  it('resumes a pruning run exactly (gates, their Adam moments and the gate noise)', async () => {
    const whole = await pruningRun({ epochs: 3 });
    const expected = await whole.trainer.train();
    const expectedLogAlpha = whole.gates.report().logAlpha;
    whole.dispose();

    const crashed = await pruningRun({
      epochs: 3,
      observer: {
        event: (record) => {
          if (record.event === 'update' && record.update === 17) throw new Error('simulated crash');
        },
      },
    });
    await expect(crashed.trainer.train()).rejects.toThrow('simulated crash');
    crashed.dispose();
    const resumed = await pruningRun({ epochs: 3, directory: crashed.directory });
    const result = await resumed.trainer.train({ resume: true });
    expect(resumed.events.some((e) => e.event === 'resume')).toBe(true);
    expect(result).toEqual(expected);
    expect(resumed.gates.report().logAlpha).toEqual(expectedLogAlpha);
    resumed.dispose();
  }, 60_000);
});
