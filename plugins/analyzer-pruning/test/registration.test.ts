import { fileURLToPath } from 'node:url';
import * as tf from '@tensorflow/tfjs';
import {
  ComponentFactory,
  ComponentRegistry,
  CORE_VERSION,
  SeededRandom,
  buildExperimentSchema,
  createProcessContainer,
  createRunContainer,
  registerPlugins,
  type ExperimentConfig,
  type Tensor2D,
} from '@stem/core';
import { checkRegistration } from '@stem/testing';
import { beforeAll, describe, expect, it } from 'vitest';
import registerHook from '../src/hooks/register.js';
import { HardConcreteHeadGates } from '../src/head-gates.js';
import { HEAD_GATES_ID } from '../src/pruning-config.js';

const packageDirectory = fileURLToPath(new URL('..', import.meta.url));

beforeAll(async () => {
  await tf.setBackend('cpu');
});

describe('@stem/analyzer-pruning registration', () => {
  it('passes the registration conformance checks', async () => {
    const report = await checkRegistration({ packageDirectory, hook: registerHook });
    expect(report.components.map((c) => [c.kind, c.id])).toEqual([['training', HEAD_GATES_ID]]);
  });

  it('is configured under trainingComponents and built through the registry with a per-task lambda', async () => {
    const registry = new ComponentRegistry();
    await registerPlugins(
      [
        {
          name: '@stem/analyzer-pruning',
          version: '0.1.0',
          plugin: await registerHook({ coreVersion: CORE_VERSION }),
        },
      ],
      registry,
      CORE_VERSION,
      tf,
    );
    const schema = buildExperimentSchema(registry);
    // The schema validates the section's own fields (the registry has no task here, so only
    // that section is parsed).
    const section = schema.shape.trainingComponents.safeParse({
      pruning: { type: HEAD_GATES_ID, lambda: -1 },
    });
    expect(section.success).toBe(false);
    const parsed = schema.shape.trainingComponents.parse({ pruning: { type: HEAD_GATES_ID } });
    expect(parsed.pruning).toEqual({ type: HEAD_GATES_ID, learningRate: 1e-3 });

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
    const runConfig = (task: string, type: string) =>
      ({
        seed: 5,
        tasks: { [task]: { type } },
        trainingComponents: { pruning: { type: HEAD_GATES_ID } },
      }) as unknown as ExperimentConfig;
    const container = createRunContainer(processContainer, {
      config: runConfig('ner', 'stem.task.ner.biaffine.v1'),
    });
    const build = (factory = container.resolve(ComponentFactory)) =>
      factory.trainingComponent(
        parsed.pruning as { type: string },
        {
          name: 'pruning',
          encoderShape: { layers: 3, heads: 4, hiddenSize: 8, maxPositions: 16 },
          tasks: [{ name: 'ner', type: 'stem.task.ner.biaffine.v1' }],
        },
        'trainingComponents.pruning',
      );
    const gates = (await build()) as HardConcreteHeadGates;
    const report = gates.report();
    expect(report.lambda).toBe(0.0002);
    expect(report.gates).toHaveLength(3);
    expect(report.logAlpha.flat().every((a) => Math.abs(a) <= 0.679)).toBe(true);
    // Same seed and path: the same initial log_a.
    const again = (await build()) as HardConcreteHeadGates;
    expect(again.report().logAlpha).toEqual(report.logAlpha);
    // Another task's pruning run at the same seed draws other gates (its own run stream).
    const depRun = createRunContainer(processContainer, {
      config: runConfig('dep', 'stem.task.dep.biaffine.v1'),
    });
    const dep = (await build(depRun.resolve(ComponentFactory))) as HardConcreteHeadGates;
    expect(dep.report().logAlpha).not.toEqual(report.logAlpha);
    gates.dispose();
    again.dispose();
    dep.dispose();
  });

  it('counts undecided gates (strictly between 0 and 1) and settles when there are none', () => {
    const gates = new HardConcreteHeadGates(
      tf,
      { learningRate: 1e-3 },
      {
        encoderShape: { layers: 1, heads: 3, hiddenSize: 8, maxPositions: 16 },
        tasks: [{ name: 'pos', type: 'stem.task.pos.softmax.v1' }],
      },
      new SeededRandom(1),
    );
    // log_a = +-ln 11 are exactly the clamps: 1.2 sigmoid(ln 11) - 0.1 = 1.2 * 11/12 - 0.1 = 1.
    const ln11 = Math.log(11) + 1e-4;
    gates.loadWeights({ log_alpha: tf.tensor2d([[ln11, -ln11, 0]]) });
    const [open, closed, half] = gates.report().gates[0] as number[];
    expect([open, closed]).toEqual([1, 0]);
    expect(half).toBeCloseTo(0.5, 9);
    expect(gates.report().undecidedGates).toBe(1);
    expect(gates.settled()).toBe(false);
    gates.loadWeights({ log_alpha: tf.tensor2d([[ln11, -ln11, -3]]) });
    expect(gates.report().undecidedGates).toBe(0);
    expect(gates.report().keptHeads).toBe(1);
    expect(gates.settled()).toBe(true);
    gates.dispose();
  });

  it('hands the encoder noisy gates per step and noiseless ones at evaluation, and restores log_a', () => {
    const shape = { layers: 2, heads: 3, hiddenSize: 8, maxPositions: 16 };
    const gates = new HardConcreteHeadGates(
      tf,
      { learningRate: 1e-3 },
      { encoderShape: shape, tasks: [{ name: 'pos', type: 'stem.task.pos.softmax.v1' }] },
      new SeededRandom(1),
    );
    const step = (n: number) => ({
      random: new SeededRandom(9).fork(`step/${n}`),
      task: 'pos',
      step: n,
    });
    const a = gates.trainingEncodeOptions(step(4)).headGates as Tensor2D;
    const b = gates.trainingEncodeOptions(step(4)).headGates as Tensor2D;
    const c = gates.trainingEncodeOptions(step(5)).headGates as Tensor2D;
    expect(a.shape).toEqual([2, 3]);
    expect(a.arraySync()).toEqual(b.arraySync());
    expect(a.arraySync()).not.toEqual(c.arraySync());
    const evaluation = gates.evaluationEncodeOptions().headGates as Tensor2D;
    const reported = gates.report().gates.flat();
    (evaluation.arraySync() as number[][])
      .flat()
      .forEach((g, i) => expect(g).toBeCloseTo(reported[i] as number, 6));
    // The loss term is lambda (pos: 0.01) times the expected L0 norm per layer.
    const loss = gates.lossTerm();
    const expected =
      (0.01 / 2) *
      gates
        .report()
        .logAlpha.flat()
        .reduce((sum, la) => sum + 1 / (1 + Math.exp(-(la + 0.7913054400234624))), 0);
    expect(loss.dataSync()[0]).toBeCloseTo(expected, 6);
    const other = new HardConcreteHeadGates(
      tf,
      { learningRate: 1e-3 },
      { encoderShape: shape, tasks: [{ name: 'pos', type: 'stem.task.pos.softmax.v1' }] },
      new SeededRandom(2),
    );
    other.loadWeights(gates.weights());
    expect(other.report().logAlpha).toEqual(gates.report().logAlpha);
    expect(() => other.loadWeights({ log_alpha: tf.zeros([3, 3]) })).toThrow(/layers x heads/);
    tf.dispose([a, b, c, evaluation, loss]);
    gates.dispose();
    other.dispose();
  });
});
