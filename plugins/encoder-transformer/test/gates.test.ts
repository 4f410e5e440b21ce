import { safetensors, type Tensor, type Tensor2D, type TensorFlow } from '@stem/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { headSize, seededSource, TransformerEncoder } from '../src/index.js';
import { testTf } from './support/backend.js';
import { fixtureDir, maxAbsDiff, reference } from './support/fixtures.js';

describe('head gates', () => {
  let tf: TensorFlow;
  let encoder: TransformerEncoder;
  const ref = reference('tiny-bert');
  const input = { ids: ref.inputIds, mask: ref.attentionMask };

  beforeAll(async () => {
    tf = await testTf();
    encoder = await TransformerEncoder.load(tf, fixtureDir('tiny-bert'), seededSource(1), {
      safetensors,
    });
  });
  afterAll(() => encoder.dispose());

  /** Output after overwriting head `head` of layer 0's value projection with noise. */
  function outputWithPerturbedHead(head: number, gates: Tensor2D): number[][][] {
    const name = 'encoder.layer.0.attention.self.value.weight';
    const weight = encoder.params.get(name);
    const original = weight.clone();
    const d = headSize(encoder.architecture);
    const columns = tf.range(0, weight.shape[1] as number).reshape([1, -1]);
    const inHead = tf.logicalAnd(
      tf.greaterEqual(columns, head * d),
      tf.less(columns, (head + 1) * d),
    );
    weight.assign(
      tf.where(
        tf.broadcastTo(inHead, weight.shape),
        tf.randomNormal(weight.shape, 0, 1, 'float32', 7),
        weight,
      ) as Tensor,
    );
    const out = tf.tidy(() =>
      encoder.encodeSubwords(input, { headGates: gates }).hidden.arraySync(),
    );
    weight.assign(original);
    tf.dispose([original, columns, inHead]);
    return out;
  }

  it('a gate of 0 removes the head: its value weights no longer change the output', () => {
    const baseline = tf.tidy(() =>
      encoder
        .encodeSubwords(input, {
          headGates: tf.tensor2d([
            [1, 0, 1, 1],
            [1, 1, 1, 1],
          ]),
        })
        .hidden.arraySync(),
    );
    const closed = tf.tensor2d([
      [1, 0, 1, 1],
      [1, 1, 1, 1],
    ]) as Tensor2D;
    const open = tf.ones([2, 4]) as Tensor2D;
    expect(maxAbsDiff(outputWithPerturbedHead(1, closed), baseline)).toBeLessThan(1e-6);
    const openBaseline = tf.tidy(() =>
      encoder.encodeSubwords(input, { headGates: open }).hidden.arraySync(),
    );
    expect(maxAbsDiff(outputWithPerturbedHead(1, open), openBaseline)).toBeGreaterThan(1e-2);
    tf.dispose([closed, open]);
  });

  it('gates of 1 equal no gates', () => {
    const ones = tf.ones([2, 4]) as Tensor2D;
    const gated = tf.tidy(() =>
      encoder.encodeSubwords(input, { headGates: ones }).hidden.arraySync(),
    );
    const plain = tf.tidy(() => encoder.encodeSubwords(input).hidden.arraySync());
    expect(maxAbsDiff(gated, plain)).toBeLessThan(1e-6);
    ones.dispose();
  });

  it('gradients reach every gate', () => {
    const gates = tf.fill([2, 4], 0.7) as Tensor2D;
    const grad = tf.grad((g: Tensor) =>
      tf.sum(tf.square(encoder.encodeSubwords(input, { headGates: g as Tensor2D }).hidden)),
    )(gates);
    const values = grad.arraySync() as number[][];
    for (const row of values)
      for (const value of row) expect(Math.abs(value)).toBeGreaterThan(1e-6);
    tf.dispose([gates, grad]);
  });
});
