import * as tf from '@tensorflow/tfjs';
import { SeededRandom, type Tensor2D } from '@stem/core';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  PENALTY_SHIFT,
  drawGateNoise,
  evaluationGateOf,
  evaluationGates,
  expectedOpenHeadsPerLayer,
  isKept,
  trainingGates,
} from '../src/hard-concrete.js';
import { penaltyWeight } from '../src/penalty-weight.js';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

const t2 = (rows: number[][]) => tf.tensor2d(rows) as Tensor2D;

describe('hard-concrete gates', () => {
  it('training gate: clamp(1.2 sigmoid((log u - log(1-u) + log_a) / 0.33) - 0.1, 0, 1) on hand-computed cases', () => {
    const logA = t2([[0, 0.33 * Math.log(3), 0, 1, -0.2]]);
    const u = t2([[0.5, 0.5, 0.25, 0.9, 0.6]]);
    const gates = trainingGates(tf, logA, u).arraySync()[0] as number[];
    // u = 0.5 makes the logistic noise 0: s = sigmoid(0) = 0.5 -> 1.2 * 0.5 - 0.1 = 0.5.
    expect(gates[0]).toBeCloseTo(0.5, 6);
    // log_a = 0.33 ln 3: s = sigmoid(ln 3) = 3/4 -> 0.9 - 0.1 = 0.8.
    expect(gates[1]).toBeCloseTo(0.8, 6);
    // u = 0.25: (ln(1/3)) / 0.33 = -3.329 -> s = 0.0346 -> 1.2 s - 0.1 < 0 -> clamped to 0.
    expect(gates[2]).toBe(0);
    // u = 0.9, log_a = 1: (ln 9 + 1) / 0.33 = 9.689 -> s = 0.99994 -> 1.0999 -> clamped to 1.
    expect(gates[3]).toBe(1);
    // u = 0.6, log_a = -0.2: (ln 1.5 - 0.2) / 0.33 = 0.622621 -> s = 0.650812 -> 0.680975.
    expect(gates[4]).toBeCloseTo(0.680975, 5);
    tf.dispose([logA, u]);
  });

  it('evaluation gate: clamp(1.2 sigmoid(log_a) - 0.1, 0, 1), the same in tensors and numbers', () => {
    const values = [0, Math.log(3), -3, Math.log(1 / 11), 5];
    // sigmoid: 0.5 -> 0.5; 0.75 -> 0.8; 0.0474 -> < 0 -> 0; 1/12 -> exactly 0; 0.9933 -> 1.
    const expected = [0.5, 0.8, 0, 0, 1];
    const logA = t2([values]);
    const gates = evaluationGates(tf, logA).arraySync()[0] as number[];
    gates.forEach((g, i) => expect(g).toBeCloseTo(expected[i] as number, 6));
    values.forEach((a, i) => expect(evaluationGateOf(a)).toBeCloseTo(expected[i] as number, 12));
    logA.dispose();
  });

  it('keeps a head iff its evaluation gate exceeds 1e-3', () => {
    // Solve 1.2 sigmoid(a) - 0.1 = g for a: a = logit((g + 0.1) / 1.2).
    const logAlphaFor = (g: number) => {
      const s = (g + 0.1) / 1.2;
      return Math.log(s / (1 - s));
    };
    expect(isKept(evaluationGateOf(logAlphaFor(0.0005)))).toBe(false);
    expect(isKept(evaluationGateOf(logAlphaFor(0.002)))).toBe(true);
    expect(isKept(0.001)).toBe(false);
    expect(isKept(0)).toBe(false);
  });

  it('penalty: mean over layers of sum_h sigmoid(log_a + 0.7913), hand-computed', () => {
    expect(PENALTY_SHIFT).toBeCloseTo(0.33 * Math.log(11), 12);
    expect(PENALTY_SHIFT).toBeCloseTo(0.7913, 4);
    const logA = t2([
      [0, -PENALTY_SHIFT],
      [0.5, 1],
    ]);
    // Layer 1: sigmoid(0.7913) + sigmoid(0) = 0.688112 + 0.5 = 1.188112.
    // Layer 2: sigmoid(1.2913) + sigmoid(1.7913) = 0.784367 + 0.857089 = 1.641455. Mean 1.414783.
    const penalty = expectedOpenHeadsPerLayer(tf, logA);
    expect(penalty.dataSync()[0]).toBeCloseTo(1.414783, 5);
    tf.dispose([logA, penalty]);
  });

  it("penalty's gradient matches central finite differences", () => {
    const start = [
      [0.3, -1.2, 2.0],
      [-0.4, 0.1, 0.9],
    ];
    const penalty = (rows: number[][]) =>
      tf.tidy(() => expectedOpenHeadsPerLayer(tf, t2(rows)).dataSync()[0] as number);
    const analytic = tf.tidy(
      () =>
        tf
          .grad((x: tf.Tensor) => expectedOpenHeadsPerLayer(tf, x as Tensor2D))(t2(start))
          .arraySync() as number[][],
    );
    const h = 1e-2;
    start.forEach((row, l) =>
      row.forEach((_, j) => {
        const shifted = (delta: number) =>
          start.map((r, i) => r.map((v, k) => (i === l && k === j ? v + delta : v)));
        const [plus, minus] = [shifted(h), shifted(-h)];
        const numeric = (penalty(plus) - penalty(minus)) / (2 * h);
        expect(analytic[l]?.[j]).toBeCloseTo(numeric, 4);
        // And the closed form: sigma'(a + shift) / layers.
        const s = 1 / (1 + Math.exp(-((start[l]?.[j] as number) + PENALTY_SHIFT)));
        expect(analytic[l]?.[j]).toBeCloseTo((s * (1 - s)) / 2, 5);
      }),
    );
  });

  it('training gates pass a gradient to log_a only where they are not clamped', () => {
    const logA = t2([[0, 5, -5]]);
    const noise = t2([[0.5, 0.5, 0.5]]);
    const gradient = tf.grad((x: tf.Tensor) => trainingGates(tf, x as Tensor2D, noise).sum())(logA);
    const [open, high, low] = (gradient.arraySync() as number[][])[0] as number[];
    // d/da of 1.2 sigmoid(a / 0.33) at a = 0: 1.2 * 0.25 / 0.33.
    expect(open).toBeCloseTo((1.2 * 0.25) / 0.33, 4);
    expect(high).toBe(0);
    expect(low).toBe(0);
    tf.dispose([logA, noise, gradient]);
  });

  it('draws noise in (eps, 1 - eps) from the given stream, reproducibly', () => {
    const a = drawGateNoise(new SeededRandom(3).fork('step/7'), 50);
    const b = drawGateNoise(new SeededRandom(3).fork('step/7'), 50);
    expect(a).toEqual(b);
    expect(Math.min(...a)).toBeGreaterThan(0);
    expect(Math.max(...a)).toBeLessThan(1);
    expect(drawGateNoise(new SeededRandom(3).fork('step/8'), 50)).not.toEqual(a);
  });
});

describe('penalty weight (lambda)', () => {
  it('follows the paper per task, 0.001 for a shared MTL gate set, and the config when given', () => {
    const task = (type: string) => [{ type }];
    expect(penaltyWeight(undefined, task('stem.task.pos.softmax.v1'))).toEqual({
      lambda: 0.01,
      source: 'paper',
    });
    expect(penaltyWeight(undefined, task('stem.task.ner.biaffine.v1')).lambda).toBe(0.0002);
    expect(penaltyWeight(undefined, task('stem.task.dep.biaffine.v1')).lambda).toBe(0.01);
    expect(penaltyWeight(undefined, task('stem.task.con.crf.v1')).lambda).toBe(0.01);
    expect(penaltyWeight(undefined, task('stem.task.srl.span-ranking.v1')).lambda).toBe(0.002);
    expect(
      penaltyWeight(undefined, [
        { type: 'stem.task.pos.softmax.v1' },
        { type: 'stem.task.ner.biaffine.v1' },
      ]),
    ).toEqual({ lambda: 0.001, source: 'paper-mtl' });
    expect(penaltyWeight(undefined, task('acme.task.capitalisation.v1'))).toEqual({
      lambda: 0.01,
      source: 'fallback',
    });
    expect(penaltyWeight(0.5, task('stem.task.pos.softmax.v1'))).toEqual({
      lambda: 0.5,
      source: 'config',
    });
  });
});
