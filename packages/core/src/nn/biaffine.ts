import type { Tensor, Tensor2D, Tensor3D, Tensor4D, TensorFlow } from '../contracts/tensorflow.js';

/** [features ; 1] along the last axis: the constant that turns a bilinear form into a biaffine one. */
export function withOnes<T extends Tensor>(tf: TensorFlow, features: T): T {
  return tf.concat([features, tf.ones([...features.shape.slice(0, -1), 1])], -1) as T;
}

/** Whether a side of a biaffine weight carries the bias row: size + 1 rows, or size. */
function biasOf(what: string, weightSize: number, featureSize: number): boolean {
  if (weightSize === featureSize + 1) return true;
  if (weightSize === featureSize) return false;
  throw new Error(
    `biaffine: the weight's ${what} side is ${weightSize} wide for features of ${featureSize} (expected ${featureSize} or ${featureSize + 1})`,
  );
}

/**
 * One biaffine score per pair (Dozat & Manning 2017): s(i, j) = [x_i ; 1]^T U y_j (or with
 * [y_j ; 1] when U has a bias column too), for every i of x [batch, n, dx] and j of
 * y [batch, m, dy]: [batch, n, m]. U is [dx (+ 1), dy (+ 1)]; which side has the bias is
 * read from its shape.
 */
export function biaffineScores(
  tf: TensorFlow,
  x: Tensor3D,
  y: Tensor3D,
  weight: Tensor2D,
): Tensor3D {
  const [batch, n, dx] = x.shape;
  const [rows, columns] = weight.shape;
  const left = biasOf('row', rows, dx) ? withOnes(tf, x) : x;
  const right = biasOf('column', columns, y.shape[2]) ? withOnes(tf, y) : y;
  const projected = left
    .reshape([batch * n, rows])
    .matMul(weight)
    .reshape([batch, n, columns]) as Tensor3D;
  return tf.matMul(projected, right, false, true);
}

/**
 * One biaffine score per pair and label, s(i, j, c) = [x_i ; 1]^T U_c [y_j ; 1], for every
 * i of x [batch, n, dx] and j of y [batch, m, dy]: [batch, n, m, labels]. `stacked` is the
 * U_c side by side, [dx + 1, labels * (dy + 1)] (column block c is U_c), so every label is
 * scored by one product.
 */
export function labelledBiaffineScores(
  tf: TensorFlow,
  x: Tensor3D,
  y: Tensor3D,
  stacked: Tensor2D,
): Tensor4D {
  const [batch, n, dx] = x.shape;
  const [, m, dy] = y.shape;
  const size = dy + 1;
  const labels = stacked.shape[1] / size;
  if (stacked.shape[0] !== dx + 1 || !Number.isInteger(labels))
    throw new Error(
      `biaffine: stacked label weights of shape [${stacked.shape.join(',')}] do not fit features of ${dx} and ${dy} ([${dx + 1}, labels * ${size}] expected)`,
    );
  // Row (i, c) of `left` is [x_i ; 1]^T U_c.
  const left = withOnes(tf, x.reshape([batch * n, dx]) as Tensor2D)
    .matMul(stacked)
    .reshape([batch, n * labels, size]) as Tensor3D;
  return tf
    .matMul(left, withOnes(tf, y), false, true)
    .reshape([batch, n, labels, m])
    .transpose([0, 1, 3, 2]);
}

/**
 * Scores of paired rows, s(p, c) = [x_p ; 1]^T U_c [y_p ; 1] for rows x [pairs, dx] and
 * y [pairs, dy] (the label of an already chosen pair, e.g. a word and its head): [pairs,
 * labels]. `weight` is [labels, dx + 1, dy + 1].
 */
export function pairedBiaffineScores(
  tf: TensorFlow,
  x: Tensor2D,
  y: Tensor2D,
  weight: Tensor3D,
): Tensor2D {
  const [pairs, dx] = x.shape;
  const [labels, rows, columns] = weight.shape;
  if (rows !== dx + 1 || columns !== y.shape[1] + 1)
    throw new Error(
      `biaffine: label weights of shape [${weight.shape.join(',')}] do not fit features of ${dx} and ${y.shape[1]}`,
    );
  // [dx + 1, labels * (dy + 1)]: U_c side by side, contracted with [x_p ; 1] in one product.
  const stacked = weight.transpose([1, 0, 2]).reshape([rows, labels * columns]);
  return withOnes(tf, x)
    .matMul(stacked)
    .reshape([pairs, labels, columns])
    .mul(withOnes(tf, y).reshape([pairs, 1, columns]))
    .sum(-1) as Tensor2D;
}
