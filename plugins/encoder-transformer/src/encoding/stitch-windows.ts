import type { Tensor4D, TensorFlow } from '@stem/core';
import type { WindowPlan } from './sliding-window.js';

/**
 * Per-head context vectors of window rows [rows, heads, L, d] back to sentences
 * [batch, heads, length, d]: each sub-word is read from the window the plan chose for it.
 * Differentiable (one gather).
 */
export function stitchHeadContexts(
  tf: TensorFlow,
  contexts: Tensor4D,
  plan: WindowPlan,
  batch: number,
): Tensor4D {
  const [rows, heads, rowLength, d] = contexts.shape;
  if (!plan.gatherIndex) return contexts;
  const flat = tf.reshape(tf.transpose(contexts, [0, 2, 1, 3]), [rows * rowLength, heads * d]);
  const gathered = tf.reshape(tf.gather(flat, tf.tensor1d(plan.gatherIndex, 'int32')), [
    batch,
    plan.length,
    heads,
    d,
  ]);
  return tf.transpose(gathered, [0, 2, 1, 3]) as Tensor4D;
}

/**
 * Attention of window rows [rows, heads, L, L] as sentence attention [batch, heads, length,
 * length]: a query's row comes from its chosen window, and keys outside that window get 0.
 * Computed on the host for analysis (probes); not differentiable.
 */
export function stitchAttention(
  tf: TensorFlow,
  probs: Tensor4D,
  plan: WindowPlan,
  batch: number,
): Tensor4D {
  if (!plan.gatherIndex || !plan.rowPositions) return probs;
  const [, heads, rowLength] = probs.shape;
  const length = plan.length;
  const data = probs.dataSync();
  const out = new Float32Array(batch * heads * length * length);
  for (let b = 0; b < batch; b++) {
    for (let t = 0; t < length; t++) {
      const index = plan.gatherIndex[b * length + t] as number;
      const row = Math.floor(index / rowLength);
      const slot = index % rowLength;
      const positions = plan.rowPositions[row]?.positions ?? [];
      if (plan.rowPositions[row]?.sentence !== b) continue; // padding position of a short sentence
      for (let h = 0; h < heads; h++) {
        const from = ((row * heads + h) * rowLength + slot) * rowLength;
        const to = ((b * heads + h) * length + t) * length;
        for (let k = 0; k < rowLength; k++) {
          const position = positions[k] as number;
          if (position >= 0) out[to + position] = data[from + k] as number;
        }
      }
    }
  }
  return tf.tensor4d(out, [batch, heads, length, length]);
}
