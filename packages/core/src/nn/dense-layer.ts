import type { Tensor, Tensor2D, TensorFlow, Variable } from '../contracts/tensorflow.js';
import type { SeededRandom } from '../random/seeded-random.js';
import { glorotUniform } from './glorot-uniform.js';

/** An affine layer x W + b; W is [input, output]. */
export interface DenseLayer {
  weight: Variable;
  bias: Variable;
}

/** Applied to a layer's pre-activation, e.g. `(x) => tf.leakyRelu(x, 0.1)`. */
export type Activation = (preactivation: Tensor) => Tensor;

/** Glorot-uniform weight (drawn first, from `random`), zero bias. */
export function denseLayer(
  tf: TensorFlow,
  random: SeededRandom,
  input: number,
  output: number,
): DenseLayer {
  const weight = glorotUniform(tf, random, input, output);
  const zeros = tf.zeros([output]);
  const bias = tf.variable(zeros);
  zeros.dispose();
  return { weight, bias };
}

/** activation(x W + b) on rows x [n, input]: [n, output]; no activation means identity. */
export function applyDense(
  tf: TensorFlow,
  x: Tensor2D,
  layer: DenseLayer,
  activation?: Activation,
): Tensor2D {
  const preactivation = tf.add(tf.matMul(x, layer.weight as Tensor2D), layer.bias);
  return (activation ? activation(preactivation) : preactivation) as Tensor2D;
}

/** x [..., in] times w [in, out], through a rank-2 product (the fast path on every backend). */
export function linear(tf: TensorFlow, x: Tensor, weight: Tensor2D): Tensor {
  const inner = x.shape[x.shape.length - 1] as number;
  const out = weight.shape[1] as number;
  const flat = tf.matMul(tf.reshape(x, [-1, inner]) as Tensor2D, weight);
  return tf.reshape(flat, [...x.shape.slice(0, -1), out]);
}
