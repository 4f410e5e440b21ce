import { describe, expect, it } from 'vitest';
import {
  BACKENDS,
  nativeNotBuilt,
  native,
  plain,
  relativeError,
  tf,
  useBackend,
  values,
} from './kernel-engine.js';

/**
 * A tiny transformer encoder layer built from tfjs ops (embedding lookup, multi-head attention
 * with a padding mask, residuals, layer norm, GELU, a feed-forward block, a token classifier):
 * the same kernels a real encoder step uses, forward and backward, without depending on the
 * encoder plugin (which depends on core, which depends on this package).
 */
const VOCAB = 30;
const HIDDEN = 16;
const HEADS = 2;
const FFN = 32;
const LABELS = 5;
const [BATCH, SEQ] = [3, 7];

let run = 0;

function parameters(): Record<string, tf.Variable> {
  const shapes: Record<string, number[]> = {
    embeddings: [VOCAB, HIDDEN],
    wQkv: [HIDDEN, 3 * HIDDEN],
    bQkv: [3 * HIDDEN],
    wOut: [HIDDEN, HIDDEN],
    gamma: [HIDDEN],
    beta: [HIDDEN],
    w1: [HIDDEN, FFN],
    b1: [FFN],
    w2: [FFN, HIDDEN],
    classifier: [HIDDEN, LABELS],
  };
  run += 1;
  return Object.fromEntries(
    Object.entries(shapes).map(([name, shape], i) => {
      const size = shape.reduce((p, d) => p * d, 1);
      // Layer norm's gain starts at 1, everything else small and seeded.
      const variable = tf.tidy(() => {
        const init = tf.mul(tf.tensor(values(size, 40 + i), shape), 0.3);
        return tf.variable(name === 'gamma' ? tf.add(init, 1) : init, true, `${name}_${run}`);
      });
      return [name, variable];
    }),
  );
}

/** x [..., in] times w [in, out] as one rank-2 product (tfjs's own gradient sums no batch). */
function linear(x: tf.Tensor, w: tf.Tensor): tf.Tensor {
  const inner = x.shape[x.rank - 1] as number;
  const product = tf.matMul(tf.reshape(x, [-1, inner]), w as tf.Tensor2D);
  return tf.reshape(product, [...x.shape.slice(0, -1), w.shape[1] as number]);
}

function layerNorm(x: tf.Tensor, gamma: tf.Tensor, beta: tf.Tensor): tf.Tensor {
  const mean = tf.mean(x, -1, true);
  const centred = tf.sub(x, mean);
  const variance = tf.mean(tf.square(centred), -1, true);
  return tf.add(tf.mul(tf.mul(centred, tf.rsqrt(tf.add(variance, 1e-5))), gamma), beta);
}

function gelu(x: tf.Tensor): tf.Tensor {
  return tf.mul(tf.mul(x, 0.5), tf.add(tf.erf(tf.mul(x, Math.SQRT1_2)), 1));
}

function loss(p: Record<string, tf.Variable>, ids: tf.Tensor, mask: tf.Tensor, gold: tf.Tensor) {
  const x = tf.gather(p.embeddings!, ids); // [B, T, H]
  const qkv = tf.add(linear(x, p.wQkv!), p.bQkv!);
  const [q, k, v] = tf
    .split(qkv, 3, -1)
    .map((t) => tf.transpose(tf.reshape(t, [BATCH, SEQ, HEADS, HIDDEN / HEADS]), [0, 2, 1, 3])) as [
    tf.Tensor,
    tf.Tensor,
    tf.Tensor,
  ];
  const scores = tf.div(tf.matMul(q, k, false, true), Math.sqrt(HIDDEN / HEADS));
  const masked = tf.add(scores, tf.mul(tf.sub(1, tf.reshape(mask, [BATCH, 1, 1, SEQ])), -1e4));
  const context = tf.matMul(tf.softmax(masked), v); // [B, heads, T, D]
  const merged = tf.reshape(tf.transpose(context, [0, 2, 1, 3]), [BATCH, SEQ, HIDDEN]);
  const attended = layerNorm(tf.add(x, linear(merged, p.wOut!)), p.gamma!, p.beta!);
  const hidden = linear(gelu(tf.add(linear(attended, p.w1!), p.b1!)), p.w2!);
  const out = layerNorm(tf.add(attended, hidden), p.gamma!, p.beta!);
  const logits = tf.reshape(linear(out, p.classifier!), [BATCH * SEQ, LABELS]);
  return tf.losses.softmaxCrossEntropy(gold, logits, tf.reshape(mask, [BATCH * SEQ]));
}

function batch() {
  const ids = tf.tensor2d(
    Array.from({ length: BATCH }, (_, b) =>
      Array.from({ length: SEQ }, (_, t) => (b * 11 + t * 7 + 1) % VOCAB),
    ),
    [BATCH, SEQ],
    'int32',
  );
  const lengths = [SEQ, SEQ - 2, 3];
  const mask = tf.tensor2d(
    lengths.flatMap((n) => Array.from({ length: SEQ }, (_, t) => (t < n ? 1 : 0))),
    [BATCH, SEQ],
  );
  const gold = tf.oneHot(
    tf.tensor1d(
      Array.from({ length: BATCH * SEQ }, (_, i) => (i * 3) % LABELS),
      'int32',
    ),
    LABELS,
  );
  return { ids, mask, gold };
}

/** Gradients of every parameter at the initial point, flattened per parameter. */
function gradients(): Record<string, Float32Array> {
  const p = parameters();
  const { ids, mask, gold } = batch();
  const { grads } = tf.variableGrads(() => loss(p, ids, mask, gold) as tf.Scalar);
  const out = Object.fromEntries(
    Object.entries(p).map(([name, v]) => [name, grads[v.name]!.dataSync() as Float32Array]),
  );
  tf.dispose([...Object.values(grads), ...Object.values(p), ids, mask, gold]);
  return out;
}

/** Losses of a few Adam steps, and how the tensor count grew from the second step on. */
function train(steps: number): { losses: number[]; growth: number } {
  let afterSecond = 0;
  const p = parameters();
  const { ids, mask, gold } = batch();
  const optimizer = tf.train.adam(0.01);
  const losses: number[] = [];
  for (let step = 0; step < steps; step++) {
    const value = optimizer.minimize(() => loss(p, ids, mask, gold) as tf.Scalar, true);
    losses.push(value!.dataSync()[0] as number);
    value!.dispose();
    // The first step creates Adam's moments; from then on every step must free what it makes.
    if (step === 1) afterSecond = tf.memory().numTensors;
  }
  const growth = tf.memory().numTensors - afterSecond;
  optimizer.dispose();
  tf.dispose([...Object.values(p), ids, mask, gold]);
  return { losses, growth };
}

describe.skipIf(nativeNotBuilt(import.meta.url)).each(BACKENDS)(
  'a tiny encoder step, native against the plain kernels (%s)',
  (backend) => {
    it('every parameter gradient agrees within 1e-5 relative', async () => {
      await useBackend(backend);
      plain();
      const reference = gradients();
      native();
      const fast = gradients();
      plain();
      expect(Object.keys(fast).sort()).toEqual(Object.keys(reference).sort());
      for (const [name, g] of Object.entries(reference)) {
        expect(relativeError(fast[name]!, g), name).toBeLessThan(1e-5);
        expect(Math.max(...g.map(Math.abs)), `${name} has a gradient`).toBeGreaterThan(0);
      }
    });

    it('a short training run gives the same losses and leaks no tensor', async () => {
      await useBackend(backend);
      plain();
      const reference = train(12);
      native();
      const fast = train(12);
      plain();
      expect(reference.growth).toBe(0);
      expect(fast.growth).toBe(0);
      expect(fast.losses.at(-1)).toBeLessThan(fast.losses[0]!);
      for (let i = 0; i < reference.losses.length; i++)
        expect(Math.abs(fast.losses[i]! - reference.losses[i]!)).toBeLessThan(
          1e-5 * Math.max(1, reference.losses[i]!),
        );
    });
  },
);
