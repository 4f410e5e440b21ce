import * as tf from '@tensorflow/tfjs';
import { SeededRandom } from '@stem/core';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  cheaperOrder,
  labelBiaffineScores,
  type LabelBiaffineOrder,
} from '../src/label-biaffine.js';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

// Two sentences padded to 5 fenceposts, MLP size 3 (so U_c is 4 x 4), 6 labels.
const batch = 2;
const positions = 5;
const size = 3;
const labels = 6;
// Flat fencepost indices b * positions + k; sentence 1 has only 3 words (fenceposts 0..3).
const spans = [
  { b: 0, i: 0, j: 4 },
  { b: 0, i: 1, j: 2 },
  { b: 0, i: 3, j: 4 },
  { b: 1, i: 0, j: 3 },
  { b: 1, i: 2, j: 3 },
  { b: 1, i: 0, j: 1 },
];
const starts = spans.map((s) => s.b * positions + s.i);
const ends = spans.map((s) => s.b * positions + s.j);

function randomTensor(shape: number[], random: SeededRandom): tf.Tensor {
  const count = shape.reduce((a, b) => a * b, 1);
  return tf.tensor(
    Float32Array.from({ length: count }, () => random.uniform(-1, 1)),
    shape,
  );
}

/** The definition, span by span, with the same ops tape-recorded: the reference gradient. */
function definition(left: tf.Tensor, right: tf.Tensor, weight: tf.Tensor): tf.Tensor {
  const one = tf.ones([1]);
  const rows = spans.map((s) => {
    const l = tf.concat([left.slice([s.b, s.i, 0], [1, 1, size]).reshape([size]), one]);
    const r = tf.concat([right.slice([s.b, s.j, 0], [1, 1, size]).reshape([size]), one]);
    // [labels]: l^T U_c r for every c.
    return weight
      .mul(l.reshape([1, size + 1, 1]))
      .mul(r.reshape([1, 1, size + 1]))
      .sum([1, 2]);
  });
  return tf.stack(rows);
}

describe('labelBiaffineScores', () => {
  const random = new SeededRandom(11);
  const left = randomTensor([batch, positions, size], random);
  const right = randomTensor([batch, positions, size], random);
  const weight = randomTensor([labels, size + 1, size + 1], random);

  const orders: LabelBiaffineOrder[] = ['per-fencepost', 'per-span', 'auto'];

  it.each(orders)(
    '%s: equals [l_i ; 1]^T U_c [r_j ; 1] computed by hand for every span and label',
    (order) => {
      const scores = labelBiaffineScores(
        tf,
        left as tf.Tensor3D,
        right as tf.Tensor3D,
        weight as tf.Tensor3D,
        starts,
        ends,
        order,
      );
      expect(scores.shape).toEqual([spans.length, labels]);
      const got = scores.arraySync() as number[][];
      const l = left.arraySync() as number[][][];
      const r = right.arraySync() as number[][][];
      const u = weight.arraySync() as number[][][];
      spans.forEach((s, row) => {
        const lv = [...l[s.b]![s.i]!, 1];
        const rv = [...r[s.b]![s.j]!, 1];
        for (let c = 0; c < labels; c++) {
          let expected = 0;
          for (let a = 0; a <= size; a++)
            for (let e = 0; e <= size; e++) expected += lv[a]! * u[c]![a]![e]! * rv[e]!;
          expect(got[row]![c]).toBeCloseTo(expected, 5);
        }
      });
      scores.dispose();
    },
  );

  it.each(orders)(
    '%s: has the gradients of the span-by-span definition with respect to l, r and U',
    (order) => {
      const cotangent = randomTensor([spans.length, labels], random);
      const fast = tf.grads((l, r, u) =>
        labelBiaffineScores(
          tf,
          l as tf.Tensor3D,
          r as tf.Tensor3D,
          u as tf.Tensor3D,
          starts,
          ends,
          order,
        )
          .mul(cotangent)
          .sum(),
      )([left, right, weight]);
      const reference = tf.grads((l, r, u) => definition(l, r, u).mul(cotangent).sum())([
        left,
        right,
        weight,
      ]);
      fast.forEach((gradient, k) => {
        const expected = reference[k]!.dataSync();
        const got = gradient.dataSync();
        expect(got.length).toBe(expected.length);
        // Fenceposts no span touches get exactly zero gradient; others match the definition.
        got.forEach((value, index) => expect(value).toBeCloseTo(expected[index]!, 5));
      });
      // At least one non-trivial entry, so the comparison cannot pass on all-zero gradients.
      expect(Math.max(...fast[2]!.abs().dataSync())).toBeGreaterThan(0.1);
      tf.dispose([...fast, ...reference, cotangent]);
    },
  );

  it('leaves no tensor behind inside tidy and handles an empty span list', () => {
    const before = tf.memory().numTensors;
    tf.tidy(() =>
      labelBiaffineScores(
        tf,
        left as tf.Tensor3D,
        right as tf.Tensor3D,
        weight as tf.Tensor3D,
        starts,
        ends,
      ),
    ).dispose();
    expect(tf.memory().numTensors).toBe(before);
    const empty = labelBiaffineScores(
      tf,
      left as tf.Tensor3D,
      right as tf.Tensor3D,
      weight as tf.Tensor3D,
      [],
      [],
    );
    expect(empty.shape).toEqual([0, labels]);
    empty.dispose();
  });

  it('rejects a span whose ends lie in different sentences', () => {
    expect(() =>
      labelBiaffineScores(
        tf,
        left as tf.Tensor3D,
        right as tf.Tensor3D,
        weight as tf.Tensor3D,
        [3],
        [positions + 1],
      ),
    ).toThrow(/span 0 runs from 3 to 6 across sentences/);
  });
});

describe('cheaperOrder', () => {
  it('picks per-fencepost at the paper sizes and per-span for small MLPs or long padding', () => {
    // 16 sentences of 40 words (41 fenceposts, 79 spans each), 135 labels, label MLP 100:
    // per fencepost 16*41*135*101*(101+41) = 1.27e9, per span 1264*135*101*102 = 1.76e9.
    expect(cheaperOrder(16, 41, 135, 101, 16 * 79)).toBe('per-fencepost');
    // Label MLP 12 (d = 13): 8*26*100*13*39 = 1.05e7 vs 312*100*13*14 = 5.7e6.
    expect(cheaperOrder(8, 26, 100, 13, 312)).toBe('per-span');
    // One 150-word sentence padding 16 short ones: the chart's positions^2 term dominates.
    expect(cheaperOrder(16, 151, 135, 101, 16 * 19 + 280)).toBe('per-span');
  });
});
