import * as tf from '@tensorflow/tfjs';
import {
  SeededRandom,
  type NamedTensorMap,
  type TensorFlow,
  type TrainingComponent,
  type TrainingUpdateContext,
  type Variable,
} from '@stem/core';
import { beforeAll, describe, expect, it } from 'vitest';
import { BERT_ATTENTION_NAMES } from '../src/conflict-config.js';
import { dot } from '../src/conflict-statistics.js';
import { headSlice, type GradientArray, type HeadLayout } from '../src/head-slices.js';
import { PlainHeadGates } from './support/fixtures.js';
import { TRAIN, harnessRun, tagger } from './support/training-harness.js';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

interface DerivativeCheck {
  layer: number;
  head: number;
  /** The slice's gradient . the head's perturbation (what the meter's slice says). */
  fromSlice: number;
  /** The whole gradient . the perturbation (zero outside the head): the slice must miss nothing. */
  fromWholeGradient: number;
  /** (L(theta + e delta) - L(theta - e delta)) / 2e. */
  finiteDifference: number;
}

/**
 * A component that, after the first update, perturbs one head's parameters (its query, key
 * and value columns and biases, its output-kernel rows and its gate, each entry drawn at
 * random; everything else zero) and compares the change of the task's loss with the
 * directional derivative read from that head's gradient slice.
 */
class DirectionalDerivativeProbe implements TrainingComponent {
  readonly optimizer = { learningRate: 0 };
  readonly checks: DerivativeCheck[] = [];

  constructor(
    private readonly parameters: () => NamedTensorMap,
    private readonly layout: HeadLayout,
    private readonly heads: ReadonlyArray<[number, number]>,
  ) {}

  trainableVariables(): Variable[] {
    return [];
  }

  async afterUpdate(context: TrainingUpdateContext): Promise<void> {
    if (context.update !== 1) return;
    const sentences = TRAIN.slice(0, 6);
    const random = new SeededRandom(5);
    const taken = await context.gradientsOf('pos', sentences, random);
    const gradients = arrays(taken.gradients);
    tf.dispose(Object.values(taken.gradients));
    const lossAt = async () => {
      const at = await context.gradientsOf('pos', sentences, random);
      tf.dispose(Object.values(at.gradients));
      return at.loss;
    };
    const draws = new SeededRandom(17);
    for (const [layer, head] of this.heads) {
      const delta = this.headPerturbation(layer, head, draws);
      const u = headSlice(delta, this.layout, layer, head);
      const fromSlice = dot(headSlice(gradients, this.layout, layer, head), u);
      const fromWholeGradient = Object.entries(delta).reduce(
        (sum, [key, d]) => sum + dot((gradients[key] as GradientArray).values, d.values),
        0,
      );
      const epsilon = 1e-2;
      const plus = await this.withShift(delta, epsilon, lossAt);
      const minus = await this.withShift(delta, -epsilon, lossAt);
      this.checks.push({
        layer,
        head,
        fromSlice,
        fromWholeGradient,
        finiteDifference: (plus - minus) / (2 * epsilon),
      });
    }
  }

  /** Random entries on the head's own parameters, written by index, zero elsewhere. */
  private headPerturbation(
    layer: number,
    head: number,
    random: SeededRandom,
  ): Record<string, GradientArray> {
    const delta: Record<string, GradientArray> = {};
    const heads = this.layout.heads;
    for (const [key, tensor] of Object.entries(this.parameters())) {
      const rows = tensor.shape[0] as number;
      const cols = tensor.shape.length === 1 ? 1 : (tensor.shape[1] as number);
      const inLayer = key.includes(`layer.${layer}.`);
      // Which entry (r, c) belongs to the head, from the layouts alone.
      const owns = (r: number, c: number): boolean => {
        if (key.startsWith('component/')) return r === layer && c === head;
        if (!inLayer) return false;
        if (key.includes('.self.') && key.endsWith('.weight'))
          return Math.floor(c / (cols / heads)) === head;
        if (key.includes('.self.') && key.endsWith('.bias'))
          return Math.floor(r / (rows / heads)) === head;
        if (key.endsWith('output.dense.weight')) return Math.floor(r / (rows / heads)) === head;
        return false;
      };
      const values = new Float32Array(tensor.size);
      for (let i = 0; i < values.length; i++)
        if (owns(Math.floor(i / cols), i % cols)) values[i] = random.uniform(-1, 1);
      delta[key] = { shape: tensor.shape, values };
    }
    return delta;
  }

  private async withShift(
    delta: Record<string, GradientArray>,
    scale: number,
    measure: () => Promise<number>,
  ): Promise<number> {
    const parameters = this.parameters();
    const saved = Object.fromEntries(
      Object.entries(parameters).map(([key, variable]) => [key, variable.clone()]),
    );
    for (const [key, variable] of Object.entries(parameters)) {
      const d = delta[key] as GradientArray;
      (variable as Variable).assign(
        tf.tidy(() => variable.add(tf.tensor(d.values, d.shape as number[]).mul(scale))),
      );
    }
    const loss = await measure();
    for (const [key, variable] of Object.entries(parameters))
      (variable as Variable).assign(saved[key] as Variable);
    tf.dispose(Object.values(saved));
    return loss;
  }

  weights(): NamedTensorMap {
    return {};
  }

  loadWeights(): void {}

  dispose(): void {}
}

function arrays(tensors: NamedTensorMap): Record<string, GradientArray> {
  return Object.fromEntries(
    Object.entries(tensors).map(([key, t]) => [
      key,
      { shape: t.shape, values: t.dataSync() as Float32Array },
    ]),
  );
}

describe('per-head slicing against a brute-force directional derivative', () => {
  it('matches the change of the loss when one head’s parameters (and gate) move', async () => {
    const head = tagger(3);
    let parameters: () => NamedTensorMap = () => ({});
    const gates = new PlainHeadGates(tf as unknown as TensorFlow, 2, 3);
    const layout: HeadLayout = {
      layers: 2,
      heads: 3,
      names: BERT_ATTENTION_NAMES,
      gateKeys: ['component/gates/gates'],
      configPath: 'trainingComponents.conflict.weights',
    };
    const probe = new DirectionalDerivativeProbe(() => parameters(), layout, [
      [0, 0],
      [0, 2],
      [1, 1],
    ]);
    const run = await harnessRun({
      tasks: [{ name: 'pos', head }],
      components: [
        { name: 'gates', component: gates },
        { name: 'probe', component: probe },
      ],
      maxSteps: 1,
    });
    parameters = () => ({
      ...Object.fromEntries(
        Object.entries(run.encoder.weights()).map(([key, v]) => [`encoder/${key}`, v]),
      ),
      'component/gates/gates': gates.gates,
    });
    await run.trainer.train();
    expect(probe.checks).toHaveLength(3);
    for (const check of probe.checks) {
      // A derivative well above the float32 noise of the finite difference (~1e-6).
      expect(Math.abs(check.fromSlice)).toBeGreaterThan(1e-4);
      expect(check.fromWholeGradient).toBeCloseTo(check.fromSlice, 6);
      expect(Math.abs(check.finiteDifference - check.fromSlice)).toBeLessThan(
        2e-5 + 0.01 * Math.abs(check.fromSlice),
      );
    }
    run.dispose();
  }, 60_000);
});
