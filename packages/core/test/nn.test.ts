import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { SeededRandom } from '../src/random/seeded-random.js';
import { createRegistrationFacade } from '../src/registry/registration-facade.js';
import { ComponentRegistry } from '../src/registry/component-registry.js';
import {
  FeedForward,
  biaffineScores,
  denseLayer,
  glorotUniform,
  labelledBiaffineScores,
  loadWeights,
  nn,
  pairedBiaffineScores,
  uniformVariable,
} from '../src/nn/index.js';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

/** Seeded values in [-1, 1), as nested arrays of the given shape (brute-force inputs). */
function values(random: SeededRandom, ...shape: number[]): number[] {
  return Array.from({ length: shape.reduce((a, b) => a * b, 1) }, () => random.uniform(-1, 1));
}

describe('initialisation from the seeded stream', () => {
  it('glorotUniform draws fanIn * fanOut values row-major within sqrt(6 / (fanIn + fanOut))', () => {
    const weight = glorotUniform(tf, new SeededRandom(7), 5, 3);
    const reference = new SeededRandom(7);
    const limit = Math.sqrt(6 / 8);
    const expected = Float32Array.from({ length: 15 }, () => reference.uniform(-limit, limit));
    expect(weight.shape).toEqual([5, 3]);
    expect(Array.from(weight.dataSync())).toEqual(Array.from(expected));
    expect(Math.max(...Array.from(weight.dataSync(), Math.abs))).toBeLessThanOrEqual(limit);
    // The stream is left exactly 15 draws further on.
    const after = new SeededRandom(7);
    for (let i = 0; i < 15; i++) after.uniform(0, 1);
    const used = new SeededRandom(7);
    glorotUniform(tf, used, 5, 3).dispose();
    expect(used.uniform(0, 1)).toBe(after.uniform(0, 1));
    weight.dispose();
  });

  it('creates no tensor besides the variables it returns', () => {
    const before = tf.memory().numTensors;
    const variable = uniformVariable(tf, new SeededRandom(1), 4, 2, 0.5);
    const layer = denseLayer(tf, new SeededRandom(1), 4, 2);
    expect(tf.memory().numTensors).toBe(before + 3);
    expect(Array.from(layer.bias.dataSync())).toEqual([0, 0]);
    // The dense layer's weight is Glorot-uniform from the same stream.
    const glorot = glorotUniform(tf, new SeededRandom(1), 4, 2);
    expect(Array.from(layer.weight.dataSync())).toEqual(Array.from(glorot.dataSync()));
    tf.dispose([variable, layer.weight, layer.bias, glorot]);
  });
});

describe('FeedForward', () => {
  it('computes activation(x W1 + b1) W2 + b2 like a hand loop, with the chosen activation', () => {
    const random = new SeededRandom(3);
    const network = new FeedForward(tf, 3, [4], 2, random, {
      activation: (x) => tf.leakyRelu(x, 0.1),
    });
    const named = network.namedWeights('ffnn');
    expect(Object.keys(named)).toEqual([
      'ffnn.0.weight',
      'ffnn.0.bias',
      'ffnn.output.weight',
      'ffnn.output.bias',
    ]);
    // Non-zero biases, so the test sees where they are added.
    named['ffnn.0.bias']!.assign(tf.tensor1d([0.1, -0.2, 0.3, -0.4]));
    named['ffnn.output.bias']!.assign(tf.tensor1d([0.5, -0.5]));
    const input = values(new SeededRandom(4), 2, 3);
    const w1 = Array.from(named['ffnn.0.weight']!.dataSync());
    const b1 = Array.from(named['ffnn.0.bias']!.dataSync());
    const w2 = Array.from(named['ffnn.output.weight']!.dataSync());
    const b2 = Array.from(named['ffnn.output.bias']!.dataSync());
    const expected: number[] = [];
    for (let r = 0; r < 2; r++) {
      const hidden = [0, 1, 2, 3].map((h) => {
        let sum = b1[h]!;
        for (let i = 0; i < 3; i++) sum += input[r * 3 + i]! * w1[i * 4 + h]!;
        return sum > 0 ? sum : 0.1 * sum;
      });
      for (let o = 0; o < 2; o++) {
        let sum = b2[o]!;
        for (let h = 0; h < 4; h++) sum += hidden[h]! * w2[h * 2 + o]!;
        expected.push(sum);
      }
    }
    const output = network.apply(tf.tensor2d(input, [2, 3]), (x) => x);
    expect(output.shape).toEqual([2, 2]);
    Array.from(output.dataSync()).forEach((v, i) => expect(v).toBeCloseTo(expected[i]!, 5));
    tf.dispose(network.variables());
  });
});

describe('biaffine scorers against brute-force sums', () => {
  const random = new SeededRandom(11);
  const [batch, n, m, dx, dy, labels] = [2, 3, 4, 2, 3, 2];
  const x = values(random, batch, n, dx);
  const y = values(random, batch, m, dy);
  const xi = (b: number, i: number, k: number) => (k === dx ? 1 : x[(b * n + i) * dx + k]!);
  const yj = (b: number, j: number, k: number) => (k === dy ? 1 : y[(b * m + j) * dy + k]!);

  it('biaffineScores: [x_i ; 1]^T U y_j, and [x_i ; 1]^T U [y_j ; 1] when U has a bias column', () => {
    for (const columns of [dy, dy + 1]) {
      const u = values(random, dx + 1, columns);
      const scores = biaffineScores(
        tf,
        tf.tensor3d(x, [batch, n, dx]),
        tf.tensor3d(y, [batch, m, dy]),
        tf.tensor2d(u, [dx + 1, columns]),
      );
      expect(scores.shape).toEqual([batch, n, m]);
      const got = scores.dataSync();
      for (let b = 0; b < batch; b++)
        for (let i = 0; i < n; i++)
          for (let j = 0; j < m; j++) {
            let sum = 0;
            for (let p = 0; p <= dx; p++)
              for (let q = 0; q < columns; q++)
                sum += xi(b, i, p) * u[p * columns + q]! * yj(b, j, q);
            expect(got[(b * n + i) * m + j]).toBeCloseTo(sum, 5);
          }
    }
  });

  it('labelledBiaffineScores and pairedBiaffineScores: [x ; 1]^T U_c [y ; 1] per label', () => {
    // U_c as [labels, dx + 1, dy + 1]; the stacked layout puts U_c in column block c.
    const u = values(random, labels, dx + 1, dy + 1);
    const at = (c: number, p: number, q: number) => u[(c * (dx + 1) + p) * (dy + 1) + q]!;
    const stacked = tf
      .tensor3d(u, [labels, dx + 1, dy + 1])
      .transpose([1, 0, 2])
      .reshape([dx + 1, labels * (dy + 1)]);
    const brute = (b: number, i: number, j: number, c: number) => {
      let sum = 0;
      for (let p = 0; p <= dx; p++)
        for (let q = 0; q <= dy; q++) sum += xi(b, i, p) * at(c, p, q) * yj(b, j, q);
      return sum;
    };
    const all = labelledBiaffineScores(
      tf,
      tf.tensor3d(x, [batch, n, dx]),
      tf.tensor3d(y, [batch, m, dy]),
      stacked as tf.Tensor2D,
    );
    expect(all.shape).toEqual([batch, n, m, labels]);
    const got = all.dataSync();
    for (let b = 0; b < batch; b++)
      for (let i = 0; i < n; i++)
        for (let j = 0; j < m; j++)
          for (let c = 0; c < labels; c++)
            expect(got[((b * n + i) * m + j) * labels + c]).toBeCloseTo(brute(b, i, j, c), 5);

    // Paired rows: x_i of sentence 0 against y_i of sentence 0 (i < n).
    const paired = pairedBiaffineScores(
      tf,
      tf.tensor2d(x.slice(0, n * dx), [n, dx]),
      tf.tensor2d(y.slice(0, n * dy), [n, dy]),
      tf.tensor3d(u, [labels, dx + 1, dy + 1]),
    );
    const pairs = paired.dataSync();
    for (let i = 0; i < n; i++)
      for (let c = 0; c < labels; c++)
        expect(pairs[i * labels + c]).toBeCloseTo(brute(0, i, i, c), 5);
  });

  it('says which side of a biaffine weight does not fit the features', () => {
    expect(() =>
      biaffineScores(
        tf,
        tf.zeros([1, 2, 3]) as tf.Tensor3D,
        tf.zeros([1, 2, 3]) as tf.Tensor3D,
        tf.zeros([5, 3]) as tf.Tensor2D,
      ),
    ).toThrow(/weight's row side is 5 wide for features of 3 \(expected 3 or 4\)/);
  });
});

describe('loadWeights', () => {
  it('assigns every variable by name and ignores tensors it does not own', () => {
    const weight = tf.variable(tf.zeros([2, 2]));
    loadWeights('toy head', { w: weight }, { w: tf.ones([2, 2]), other: tf.ones([7]) });
    expect(Array.from(weight.dataSync())).toEqual([1, 1, 1, 1]);
    weight.dispose();
  });

  it('names the component, the weight and both shapes, and assigns nothing on a mismatch', () => {
    const a = tf.variable(tf.zeros([2]));
    const b = tf.variable(tf.zeros([2, 3]));
    expect(() =>
      loadWeights(
        'DEP head',
        { a, b },
        { a: tf.ones([2]), b: tf.ones([3, 2]) },
        'another relation set?',
      ),
    ).toThrow(
      'DEP head: weight "b" has shape [3,2], expected [2,3] in the checkpoint (another relation set?)',
    );
    expect(Array.from(a.dataSync())).toEqual([0, 0]);
    expect(() => loadWeights('DEP head', { a }, {})).toThrow(
      'DEP head: weight "a" is missing from the checkpoint',
    );
    tf.dispose([a, b]);
  });
});

describe('the registration facade', () => {
  it('hands every plugin core nn blocks, the same functions @stem/core exports', () => {
    const facade = createRegistrationFacade(
      new ComponentRegistry(),
      { name: 'p', version: '1' },
      '0.1.0',
      tf,
    );
    expect(facade.nn).toBe(nn);
    expect(facade.nn.glorotUniform).toBe(glorotUniform);
    expect(facade.nn.loadWeights).toBe(loadWeights);
  });
});
