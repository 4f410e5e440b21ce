import { gelu as coreGelu, type Tensor, type Tensor2D, type TensorFlow } from '@stem/core';

/** x [n, in] @ W [in, out] + b: one plain rank-2 product (wasm's fast path). */
export function linear(tf: TensorFlow, x: Tensor2D, weight: Tensor, bias: Tensor): Tensor2D {
  return tf.add(tf.matMul(x, weight as Tensor2D), bias);
}

/** LayerNorm over the last axis (biased variance, as PyTorch). */
export function layerNorm(
  tf: TensorFlow,
  x: Tensor,
  gamma: Tensor,
  beta: Tensor,
  eps: number,
): Tensor {
  const { mean, variance } = tf.moments(x, -1, true);
  return tf.add(tf.mul(tf.mul(tf.sub(x, mean), tf.rsqrt(tf.add(variance, eps))), gamma), beta);
}

/** GELU, erf form (Hugging Face "gelu"): core's, fused where the native kernels run. */
export function gelu(tf: TensorFlow, x: Tensor): Tensor {
  return coreGelu(tf, x);
}

/** Inverted dropout with an explicit seed; identity when rate is 0 or not training. */
export function dropout<T extends Tensor>(
  tf: TensorFlow,
  x: T,
  rate: number,
  seed: (() => number) | undefined,
): T {
  if (!seed || rate <= 0) return x;
  return tf.dropout(x, rate, undefined, seed()) as T;
}
