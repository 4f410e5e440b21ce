import type { FactoryContext, Tensor, Tensor1D, Tensor3D } from '@stem/core';
import { insideAlgorithm, marginalsFromInside } from './tree-crf.js';

/**
 * log Z of each sentence of a padded batch chart [batch, words + 1, words + 1] as a
 * differentiable tfjs op. The inside algorithm runs in plain JavaScript outside the tape
 * (`tree-crf.ts`); the gradient, d log Z / d s(i, j), is the span marginal, computed by
 * inside-outside only when a gradient is asked for. `counts[b]` is sentence b's word count.
 */
export function treeCrfLogPartition(
  tf: FactoryContext['tf'],
  scores: Tensor3D,
  counts: readonly number[],
): Tensor1D {
  const op = tf.customGrad((...args: unknown[]) => {
    const chart = args[0] as Tensor3D;
    const [batch, size] = chart.shape;
    if (counts.length !== batch || counts.some((n) => n < 1 || n >= size))
      throw new RangeError(
        `treeCrfLogPartition: word counts [${counts.join(', ')}] do not fit a chart of shape [${chart.shape.join(', ')}]`,
      );
    const values = chart.dataSync();
    // Kept for the gradient, which then needs only the outside pass.
    const insides = counts.map((n, b) =>
      insideAlgorithm({ n, values, stride: size, offset: b * size * size }),
    );
    return {
      value: tf.tensor1d(insides.map((result) => result.logPartition)),
      gradFunc: (dy: Tensor) => {
        const gradient = new Float32Array(batch * size * size);
        counts.forEach((n, b) => {
          const offset = b * size * size;
          const { marginals } = marginalsFromInside(n, insides[b]!);
          for (let i = 0; i < n; i++)
            for (let j = i + 1; j <= n; j++)
              gradient[offset + i * size + j] = marginals[i * (n + 1) + j]!;
        });
        return tf.tensor3d(gradient, [batch, size, size]).mul(dy.reshape([batch, 1, 1]));
      },
    };
  });
  return (op as (x: Tensor) => Tensor)(scores) as Tensor1D;
}
