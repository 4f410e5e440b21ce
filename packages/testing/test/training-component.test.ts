import { mkdtemp, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs';
import {
  SeededRandom,
  Trainer,
  readSafetensors,
  trainerSettingsSchema,
  type EncodeOptions,
  type NamedTensorMap,
  type Scalar,
  type TrainingComponent,
  type TrainingObserver,
  type TrainingStepContext,
  type Variable,
} from '@stem/core';
import { beforeAll, describe, expect, it } from 'vitest';
import { ToyEncoder, ToyTagger, syntheticTaggedSentences } from '../src/index.js';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

const train = syntheticTaggedSentences(60, 1, 'train');
const dev = syntheticTaggedSentences(20, 2, 'dev');

/**
 * A component with one variable pulled towards 3 by its loss term (quadratic), which hands
 * the encoder a per-step tensor drawn from its step stream and reports its value.
 */
class PullToThree implements TrainingComponent {
  readonly optimizer = { learningRate: 0.1 };
  readonly target: Variable = tf.variable(tf.scalar(0), true);
  readonly draws: Array<{ step: number; task: string; value: number }> = [];

  trainableVariables(): Variable[] {
    return [this.target];
  }

  trainingEncodeOptions(step: TrainingStepContext): Partial<EncodeOptions> {
    this.draws.push({ step: step.step, task: step.task, value: step.random.next() });
    return { headGates: tf.fill([1, 1], 1) as tf.Tensor2D };
  }

  evaluationEncodeOptions(): Partial<EncodeOptions> {
    return { headGates: tf.fill([1, 1], 1) as tf.Tensor2D };
  }

  lossTerm(): Scalar {
    return this.target.sub(3).square().sum() as Scalar;
  }

  report(): Record<string, unknown> {
    return { value: this.target.dataSync()[0] };
  }

  weights(): NamedTensorMap {
    return { target: this.target };
  }

  loadWeights(weights: NamedTensorMap): void {
    this.target.assign(weights.target as tf.Scalar);
  }

  dispose(): void {
    this.target.dispose();
  }
}

/** PullToThree that says it has settled once it has seen `settleAtStep` training steps. */
class SettlesAfter extends PullToThree {
  private stepsSeen = 0;
  constructor(private readonly settleAtStep: number) {
    super();
  }

  override trainingEncodeOptions(step: TrainingStepContext): Partial<EncodeOptions> {
    this.stepsSeen = step.step + 1;
    return super.trainingEncodeOptions(step);
  }

  settled(): boolean {
    return this.stepsSeen >= this.settleAtStep;
  }
}

async function makeRun(
  directory?: string,
  observer?: Partial<TrainingObserver>,
  options: { component?: PullToThree; epochs?: number; patience?: number } = {},
) {
  const root = directory ?? (await mkdtemp(join(tmpdir(), 'stem-component-')));
  const random = new SeededRandom(5);
  const encoder = new ToyEncoder(tf, random.fork('encoder'), { hiddenSize: 8, wordDropout: 0.1 });
  const head = new ToyTagger(tf, 8, ToyTagger.tagsOf(train), random.fork('tasks.pos'));
  const component = options.component ?? new PullToThree();
  const seenGates: number[] = [];
  const encode = encoder.encode.bind(encoder);
  encoder.encode = (batch, options) => {
    if (options.headGates) seenGates.push(options.training ? 1 : 0);
    return encode(batch, options);
  };
  const events: Array<Record<string, unknown>> = [];
  const trainer = new Trainer({
    tf,
    encoder,
    tasks: [{ name: 'pos', head, train, dev }],
    components: [{ name: 'pull', component }],
    settings: trainerSettingsSchema.parse({
      epochs: options.epochs ?? 2,
      ...(options.patience !== undefined ? { patience: options.patience } : {}),
      maxSentencesPerBatch: 8,
      maxSubwordsPerBatch: 100,
      checkpointEvery: 3,
      evaluateTest: false,
    }),
    random: random.fork('trainer'),
    checkpoints: { last: join(root, 'last'), best: join(root, 'best') },
    observer: {
      event: async (record) => {
        events.push(record);
        await observer?.event?.(record);
      },
    },
  });
  const dispose = () => {
    trainer.dispose();
    encoder.dispose();
    head.dispose();
    component.dispose();
  };
  return { trainer, component, events, seenGates, directory: root, dispose };
}

describe('training components', () => {
  it('train their own variables with a constant-rate Adam, add encode options and a loss term, and report', async () => {
    const run = await makeRun();
    const result = await run.trainer.train();
    const steps = result.steps;
    expect(steps).toBe(16);
    // Adam at a constant 0.1 moves the variable at most 0.1 per update (16 updates); global
    // clipping with the encoder's gradients makes the steps uneven, so less in practice.
    const value = run.component.target.dataSync()[0] as number;
    expect(value).toBeGreaterThan(0.5);
    expect(value).toBeLessThanOrEqual(1.6 + 1e-6);
    // One draw per training step from fork("step/<n>").fork("component/pull").
    expect(run.component.draws.map((d) => d.step)).toEqual([...Array(steps).keys()]);
    const trainerRandom = new SeededRandom(5).fork('trainer');
    expect(run.component.draws[7]?.value).toBe(
      trainerRandom.fork('step/7').fork('component/pull').next(),
    );
    // Training calls carry the gates; evaluation calls carry them too.
    expect(run.seenGates.filter((t) => t === 1)).toHaveLength(steps);
    expect(run.seenGates.filter((t) => t === 0).length).toBeGreaterThan(0);
    const devEvents = run.events.filter((e) => e.event === 'dev');
    expect(devEvents[0]?.components).toEqual({ pull: { value: expect.any(Number) } });
    const update = run.events.find((e) => e.event === 'update');
    expect(update?.componentLosses).toEqual({ pull: expect.any(Number) });
    expect(result.components?.pull?.value).toBeCloseTo(
      (await readBestTarget(run.directory)) as number,
      6,
    );
    run.dispose();
  });

  it('are checkpointed with their optimizer moments: resume ends exactly where a whole run ends', async () => {
    const whole = await makeRun();
    const expected = await whole.trainer.train();
    const expectedValue = whole.component.target.dataSync()[0];
    whole.dispose();

    const crashed = await makeRun(undefined, {
      event: (record) => {
        if (record.event === 'update' && record.update === 11) throw new Error('simulated crash');
      },
    });
    await expect(crashed.trainer.train()).rejects.toThrow('simulated crash');
    const state = JSON.parse(await readFile(join(crashed.directory, 'last', 'state.json'), 'utf8'));
    expect(state.optimizerUpdates).toBe(9);
    crashed.dispose();

    const resumed = await makeRun(crashed.directory);
    const result = await resumed.trainer.train({ resume: true });
    expect(result).toEqual(expected);
    expect(resumed.component.target.dataSync()[0]).toBe(expectedValue);
    resumed.dispose();
  });
});

describe('settling components (pruning gates that must all be decided)', () => {
  it('count patience only once settled, and make a settled checkpoint the best', async () => {
    // 8 steps per epoch: unsettled at the ends of epochs 1 and 2, settled from epoch 3 on.
    const run = await makeRun(undefined, undefined, {
      component: new SettlesAfter(17),
      epochs: 6,
      patience: 1,
    });
    const result = await run.trainer.train();
    expect(result.settled).toBe(true);
    // A settled checkpoint beats the unsettled ones whatever their scores ...
    expect(result.best?.epoch).toBeGreaterThanOrEqual(3);
    expect(result.best?.settled).toBeUndefined();
    // ... and patience 1 cannot stop the run before one settled epoch without gain (epoch 4).
    expect(result.steps).toBeGreaterThanOrEqual(32);
    const stops = run.events.filter((e) => e.event === 'early-stop');
    for (const stop of stops) expect(stop).toMatchObject({ reason: 'patience' });
    expect(stops.every((stop) => (stop.epoch as number) >= 4)).toBe(true);
    run.dispose();
  });

  it('never run out of patience while unsettled: the run trains to its maximum', async () => {
    const run = await makeRun(undefined, undefined, {
      component: new SettlesAfter(Infinity),
      epochs: 4,
      patience: 1,
    });
    const result = await run.trainer.train();
    expect(result.steps).toBe(32);
    expect(result.settled).toBe(false);
    expect(result.stopReason).toBeUndefined();
    expect(run.events.filter((e) => e.event === 'early-stop')).toEqual([]);
    run.dispose();
  });

  it('leave runs without them as they were (no settled field)', async () => {
    const run = await makeRun();
    const result = await run.trainer.train();
    expect(result.settled).toBeUndefined();
    run.dispose();
  });
});

async function readBestTarget(directory: string): Promise<number | undefined> {
  const state = JSON.parse(await readFile(join(directory, 'best', 'state.json'), 'utf8'));
  const { tensors } = await readSafetensors(tf, join(directory, 'best', state.weightsFile));
  expect(Object.keys(tensors)).toContain('component/pull/target');
  const value = tensors['component/pull/target']?.dataSync()[0];
  tf.dispose(Object.values(tensors));
  return value;
}
