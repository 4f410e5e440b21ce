import type { SubwordPooling, Tensor2D, Tensor3D, TensorFlow } from '@stem/core';

/**
 * Gathers each word's sub-word rows and combines them with fixed weights: mean (1/n over the
 * word's pieces), first or last (one piece, weight 1). Padding words get weight 0, so their
 * vectors are zeros. One gather and one weighted sum, differentiable.
 */
export function poolWords(
  tf: TensorFlow,
  flatStates: Tensor2D,
  sequenceLength: number,
  wordSpans: ReadonlyArray<ReadonlyArray<readonly [number, number]>>,
  pooling: SubwordPooling,
): Tensor3D {
  const batch = wordSpans.length;
  const words = Math.max(1, ...wordSpans.map((s) => s.length));
  const width =
    pooling === 'mean'
      ? Math.max(1, ...wordSpans.flat().map(([first, last]) => last - first + 1))
      : 1;
  const indices = new Int32Array(batch * words * width);
  const weights = new Float32Array(batch * words * width);
  wordSpans.forEach((spans, b) => {
    spans.forEach(([first, last], w) => {
      const at = (b * words + w) * width;
      const base = b * sequenceLength;
      if (pooling === 'first') [indices[at], weights[at]] = [base + first, 1];
      else if (pooling === 'last') [indices[at], weights[at]] = [base + last, 1];
      else
        for (let k = 0; k <= last - first; k++)
          [indices[at + k], weights[at + k]] = [base + first + k, 1 / (last - first + 1)];
    });
  });
  const hidden = flatStates.shape[1];
  const gathered = tf.reshape(tf.gather(flatStates, tf.tensor1d(indices, 'int32')), [
    batch * words,
    width,
    hidden,
  ]);
  const pooled =
    width === 1
      ? gathered
      : tf.sum(tf.mul(gathered, tf.tensor3d(weights, [batch * words, width, 1])), 1);
  const scaled = width === 1 ? tf.mul(pooled, tf.tensor3d(weights, [batch * words, 1, 1])) : pooled;
  return tf.reshape(scaled, [batch, words, hidden]) as Tensor3D;
}
