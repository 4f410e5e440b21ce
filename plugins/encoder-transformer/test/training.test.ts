import { safetensors, type Scalar, type Tensor2D } from '@stem/core';
import { describe, expect, it } from 'vitest';
import { architectureFor, seededSource, TransformerEncoder } from '../src/index.js';
import { testTf } from './support/backend.js';
import { fixtureDir } from './support/fixtures.js';

describe('training a tiny encoder', () => {
  it('keeps the tensor count flat across 200 Adam steps (dropout, word dropout and gates on)', async () => {
    const tf = await testTf();
    const architecture = architectureFor(
      { arch: 'bert', layers: 2, heads: 2, hidden: 16, intermediate: 32, maxPositions: 32 },
      89,
    );
    const encoder = await TransformerEncoder.initialise(
      tf,
      architecture,
      fixtureDir('tiny-bert'),
      seededSource(3),
      { wordDropout: 0.2, safetensors },
    );
    const batch = await encoder.tokenize([
      ['The', 'cat', 'sat', 'on', 'the', 'mat', '.'],
      ['A', 'dog', 'ran', 'far', 'away'],
    ]);
    const gates = tf.variable(tf.ones([2, 2]), true, 'test_gates') as unknown as Tensor2D;
    const target = tf.randomNormal([2, 7, 16], 0, 1, 'float32', 1);
    const optimizer = tf.train.adam(1e-2);
    const step = (): number => {
      const loss = optimizer.minimize(() => {
        const out = encoder.encode(batch, { training: true, headGates: gates });
        return tf.mean(tf.square(tf.sub(out.wordVectors, target))) as Scalar;
      }, true) as Scalar;
      const value = loss.dataSync()[0] as number;
      loss.dispose();
      return value;
    };
    const first = step();
    for (let i = 0; i < 4; i++) step();
    const before = tf.memory().numTensors;
    let last = first;
    for (let i = 0; i < 195; i++) last = step();
    expect(tf.memory().numTensors).toBe(before);
    expect(last).toBeLessThan(first);
    optimizer.dispose();
    tf.dispose([gates, target]);
    encoder.dispose();
  });
});
