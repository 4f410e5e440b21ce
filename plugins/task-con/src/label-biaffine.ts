import {
  withOnes,
  type FactoryContext,
  type Tensor,
  type Tensor2D,
  type Tensor3D,
} from '@stem/core';

type TensorFlow = FactoryContext['tf'];

/** How the label biaffine is evaluated; `auto` takes the one with fewer multiply-adds. */
export type LabelBiaffineOrder = 'auto' | 'per-fencepost' | 'per-span';

/**
 * Label scores s(i, j, c) = [l_i ; 1]^T U_c [r_j ; 1] of the listed spans: [spans, labels].
 *
 * `left` and `right` are the label-MLP outputs at every fencepost ([batch, positions, size]),
 * `weight` is U ([labels, size + 1, size + 1]); span s runs from fencepost `starts[s]` to
 * `ends[s]`, both flat indices b * positions + k into the same sentence b.
 *
 * The cost is the products with U: d^2 multiply-adds per label and vector (d = size + 1).
 * - `per-span`: [l_i ; 1]^T U_c once per span, then one dot product with [r_j ; 1]:
 *   spans x labels x d^2.
 * - `per-fencepost`: [l_i ; 1]^T U_c once per fencepost, then each sentence's whole (i, c, j)
 *   chart against every [r_j ; 1], from which the spans' entries are picked:
 *   positions x labels x d^2 + positions^2 x labels x d (positions per sentence, padded).
 *   A binary tree has 2n - 1 spans over n + 1 fenceposts, so at the paper's sizes (d = 101,
 *   sentences of tens of words) this is about half the products of `per-span`; it loses when
 *   d is small or sentences are very long, hence `auto`.
 * Rows and entries are picked by `gatherWithScatterGradient`, so no path builds a one-hot
 * selection matrix or depends on the backend's UnsortedSegmentSum.
 */
export function labelBiaffineScores(
  tf: TensorFlow,
  left: Tensor3D,
  right: Tensor3D,
  weight: Tensor3D,
  starts: readonly number[],
  ends: readonly number[],
  order: LabelBiaffineOrder = 'auto',
): Tensor2D {
  const [batch, positions] = left.shape;
  const [labels, d] = weight.shape;
  if (starts.length !== ends.length)
    throw new Error(`label biaffine: ${starts.length} span starts but ${ends.length} ends`);
  const spans = starts.length;
  if (spans === 0) return tf.zeros([0, labels]) as Tensor2D;
  const sentenceOf = starts.map((start, s) => {
    const sentence = Math.floor(start / positions);
    const end = ends[s]!;
    if (Math.floor(end / positions) !== sentence || end < start || sentence >= batch)
      throw new Error(`label biaffine: span ${s} runs from ${start} to ${end} across sentences`);
    return sentence;
  });
  const chosen = order !== 'auto' ? order : cheaperOrder(batch, positions, labels, d, spans);
  // U as [d, labels * d]: column block c is U_c.
  const stacked = weight.transpose([1, 0, 2]).reshape([d, labels * d]) as Tensor2D;
  const leftRows = withOnes(tf, left).reshape([batch * positions, d]) as Tensor2D;
  if (chosen === 'per-span') {
    const rightRows = withOnes(tf, right).reshape([batch * positions, d]) as Tensor2D;
    // [spans, labels, d] x [spans, d, 1]: one batched product instead of a broadcast multiply.
    const projected = gatherWithScatterGradient(tf, leftRows, starts)
      .matMul(stacked)
      .reshape([spans, labels, d]);
    const r = gatherWithScatterGradient(tf, rightRows, ends).reshape([spans, d, 1]);
    return tf.matMul(projected as Tensor3D, r as Tensor3D).reshape([spans, labels]) as Tensor2D;
  }
  // chart[b, i * labels + c, j] = s(i, j, c)
  const chart = tf.matMul(
    leftRows.matMul(stacked).reshape([batch, positions * labels, d]) as Tensor3D,
    withOnes(tf, right),
    false,
    true,
  );
  const index: number[] = new Array<number>(spans * labels);
  for (let s = 0; s < spans; s++) {
    const j = ends[s]! - sentenceOf[s]! * positions;
    for (let c = 0; c < labels; c++)
      index[s * labels + c] = (starts[s]! * labels + c) * positions + j;
  }
  return gatherWithScatterGradient(tf, chart.reshape([-1, 1]) as Tensor2D, index).reshape([
    spans,
    labels,
  ]) as Tensor2D;
}

/** The order with fewer multiply-adds (the costs in `labelBiaffineScores`'s comment). */
export function cheaperOrder(
  batch: number,
  positions: number,
  labels: number,
  d: number,
  spans: number,
): 'per-fencepost' | 'per-span' {
  const perFencepost = batch * positions * labels * d * (d + positions);
  const perSpan = spans * labels * d * (d + 1);
  return perFencepost < perSpan ? 'per-fencepost' : 'per-span';
}

/**
 * Rows `index` of `x` ([rows, width]), differentiable with a scatter-add gradient.
 * tfjs's own gather gradient is UnsortedSegmentSum, which the pure-JS backend runs as one
 * tensor op per output row (hopeless for a chart of millions of entries) and wasm lacks;
 * ScatterNd is a single pass on every backend.
 */
export function gatherWithScatterGradient(
  tf: TensorFlow,
  x: Tensor2D,
  index: readonly number[],
): Tensor2D {
  const op = tf.customGrad((...args: unknown[]) => {
    const source = args[0] as Tensor2D;
    const shape = source.shape;
    return {
      value: tf.gather(source, tf.tensor1d(index as number[], 'int32')),
      // The index tensor is rebuilt here: tensors of the forward pass may be gone by now.
      gradFunc: (dy: Tensor) =>
        tf.scatterND(tf.tensor2d(index as number[], [index.length, 1], 'int32'), dy, shape),
    };
  });
  return (op as (x: Tensor) => Tensor)(x) as Tensor2D;
}
