import type { Tensor, TensorFlow } from '../contracts/tensorflow.js';

/**
 * Scales all gradients together so their global L2 norm is at most `maxNorm` (He & Choi
 * 2021: 1.0). Returns the new gradients (the caller disposes the old ones) and the norm
 * before clipping, which the trainer logs and checks for NaN/Inf.
 */
export function clipByGlobalNorm(
  tf: TensorFlow,
  gradients: ReadonlyMap<string, Tensor>,
  maxNorm: number,
): { gradients: Map<string, Tensor>; norm: number } {
  const norm = tf.tidy(() => {
    const squares = [...gradients.values()].map((g) => g.square().sum());
    return squares.length === 0 ? 0 : (tf.addN(squares).sqrt().dataSync()[0] as number);
  });
  const scale = norm > maxNorm ? maxNorm / (norm + 1e-6) : 1;
  const clipped = new Map<string, Tensor>();
  for (const [name, gradient] of gradients)
    clipped.set(name, scale === 1 ? gradient.clone() : tf.tidy(() => gradient.mul(scale)));
  return { gradients: clipped, norm };
}
