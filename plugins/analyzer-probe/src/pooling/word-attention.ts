import type { Tensor, Tensor4D, TensorFlow, TokenizedBatch } from '@stem/core';
import { poolingWeights } from './pooling-weights.js';

/**
 * Word-level attention of one layer, [batch, heads, units, units]: a query word's row is the
 * mean of its sub-words' rows, a key word's column the sum of its sub-words' columns; unit 0
 * is ROOT ([CLS]). The final [SEP] and padding are no unit, so rows sum to at most 1. Two
 * batched matrix products (Q A K^T); the caller tidies. The weights are tiled over heads
 * rather than broadcast: tfjs's matMul flattens batch dimensions before broadcasting, which
 * pairs [batch, 1] with [batch, heads] wrongly (the pooling test caught it).
 */
export function poolAttention(
  tf: TensorFlow,
  attention: Tensor4D,
  tokens: TokenizedBatch,
): Tensor4D {
  const subwords = attention.shape[2];
  const heads = attention.shape[1];
  const w = poolingWeights(tokens, subwords);
  const query = tf.tile(tf.tensor4d(w.query, [w.batch, 1, w.units, subwords]), [1, heads, 1, 1]);
  const key = tf.tile(tf.tensor4d(w.key, [w.batch, 1, w.units, subwords]), [1, heads, 1, 1]);
  return tf.matMul(tf.matMul(query, attention), key, false, true) as Tensor4D;
}

/**
 * pi(u) = argmax over key units of the pooled attention, for every layer, head and unit:
 * [layers][batch][heads][units] as one Int32Array (ties go to the lower unit).
 */
export function attentionPointers(
  tf: TensorFlow,
  layers: readonly Tensor4D[],
  tokens: TokenizedBatch,
): { pointers: Int32Array; heads: number; units: number } {
  const stacked = tf.tidy(() =>
    tf.stack(layers.map((layer) => tf.argMax(poolAttention(tf, layer, tokens), -1))),
  ) as Tensor;
  try {
    const [, , heads, units] = stacked.shape as number[];
    return { pointers: stacked.dataSync() as Int32Array, heads: heads!, units: units! };
  } finally {
    stacked.dispose();
  }
}
