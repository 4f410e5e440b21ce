import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { AdamW } from '../src/training/adamw.js';
import { clipByGlobalNorm } from '../src/training/gradient-clipping.js';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

/** Reference AdamW on plain numbers (Loshchilov & Hutter, bias-corrected moments). */
function referenceAdamW(w: number[], grads: number[][], rates: number[], decay: number): number[] {
  const m = w.map(() => 0);
  const v = w.map(() => 0);
  const out = [...w];
  grads.forEach((g, t) => {
    const step = t + 1;
    out.forEach((value, i) => {
      m[i] = 0.9 * (m[i] as number) + 0.1 * (g[i] as number);
      v[i] = 0.999 * (v[i] as number) + 0.001 * (g[i] as number) ** 2;
      const mHat = (m[i] as number) / (1 - 0.9 ** step);
      const vHat = (v[i] as number) / (1 - 0.999 ** step);
      out[i] =
        value * (1 - (rates[t] as number) * decay) -
        ((rates[t] as number) * mHat) / (Math.sqrt(vHat) + 1e-8);
    });
  });
  return out;
}

describe('AdamW', () => {
  it('matches a hand-written AdamW with per-group rates and a schedule multiplier', () => {
    const a = tf.variable(tf.tensor1d([0.5, -1.0]));
    const b = tf.variable(tf.tensor1d([2.0]));
    const optimizer = new AdamW(
      tf,
      [
        { name: 'encoder', variables: [a], learningRate: 0.01 },
        { name: 'heads', variables: [b], learningRate: 0.1 },
      ],
      { beta1: 0.9, beta2: 0.999, epsilon: 1e-8, weightDecay: 0.01 },
    );
    const gradsA = [
      [0.3, -0.2],
      [0.1, 0.4],
      [-0.5, 0.05],
    ];
    const gradsB = [[1.0], [-2.0], [0.5]];
    const multipliers = [0.5, 1, 0.25];
    gradsA.forEach((g, t) => {
      const map = new Map([
        [a.name, tf.tensor1d(g)],
        [b.name, tf.tensor1d(gradsB[t] as number[])],
      ]);
      optimizer.apply(map, multipliers[t] as number);
    });
    const expectedA = referenceAdamW(
      [0.5, -1.0],
      gradsA,
      multipliers.map((m) => 0.01 * m),
      0.01,
    );
    const expectedB = referenceAdamW(
      [2.0],
      gradsB,
      multipliers.map((m) => 0.1 * m),
      0.01,
    );
    Array.from(a.dataSync()).forEach((value, i) =>
      expect(value).toBeCloseTo(expectedA[i] as number, 5),
    );
    expect(b.dataSync()[0]).toBeCloseTo(expectedB[0] as number, 5);
  });

  it('leaves variables without a gradient alone, and restores its state exactly', () => {
    const a = tf.variable(tf.tensor1d([1, 2]));
    const b = tf.variable(tf.tensor1d([3]));
    const optimizer = new AdamW(tf, [{ name: 'g', variables: [a, b], learningRate: 0.1 }]);
    optimizer.apply(new Map([[a.name, tf.tensor1d([1, 1])]]), 1);
    expect(Array.from(b.dataSync())).toEqual([3]);

    const saved = optimizer.state();
    const a2 = tf.variable(a.clone());
    const b2 = tf.variable(b.clone());
    const restored = new AdamW(tf, [{ name: 'g', variables: [a2, b2], learningRate: 0.1 }]);
    restored.load(saved);
    optimizer.apply(new Map([[a.name, tf.tensor1d([0.5, -1])]]), 1);
    restored.apply(new Map([[a2.name, tf.tensor1d([0.5, -1])]]), 1);
    expect(Array.from(a2.dataSync())).toEqual(Array.from(a.dataSync()));
  });
});

describe('clipByGlobalNorm', () => {
  it('scales all gradients by maxNorm / global norm when above it', () => {
    const gradients = new Map([
      ['x', tf.tensor1d([3, 0])],
      ['y', tf.tensor1d([4])],
    ]);
    const { gradients: clipped, norm } = clipByGlobalNorm(tf, gradients, 1);
    expect(norm).toBeCloseTo(5, 6);
    expect(Array.from(clipped.get('x')?.dataSync() ?? [])).toEqual([expect.closeTo(0.6, 5), 0]);
    expect(clipped.get('y')?.dataSync()[0]).toBeCloseTo(0.8, 5);
    const { gradients: kept } = clipByGlobalNorm(tf, gradients, 10);
    expect(Array.from(kept.get('x')?.dataSync() ?? [])).toEqual([3, 0]);
  });
});
