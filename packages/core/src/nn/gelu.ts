import type { Tensor, TensorFlow } from '../contracts/tensorflow.js';

/**
 * The kernels @stem/compute-native registers for GELU on the backends it serves (its
 * `GELU_KERNEL_NAME` and `GELU_GRADIENT_KERNEL_NAME`; core's test checks the names agree).
 */
export const FUSED_GELU_KERNEL = 'StemGelu';
export const FUSED_GELU_GRADIENT_KERNEL = 'StemGeluGrad';

/** One fused op per engine: `tf.customGrad` binds the engine it was made with. */
const fusedOps = new WeakMap<TensorFlow, (x: Tensor) => Tensor>();

function fusedGelu(tf: TensorFlow): (x: Tensor) => Tensor {
  let op = fusedOps.get(tf);
  if (!op) {
    op = tf.customGrad((...args: unknown[]) => {
      const x = args[0] as Tensor;
      const save = args[1] as (tensors: Tensor[]) => void;
      save([x]);
      return {
        value: tf.engine().runKernel(FUSED_GELU_KERNEL, { x }, {}) as Tensor,
        gradFunc: (dy: Tensor, saved: Tensor[]) =>
          tf.engine().runKernel(FUSED_GELU_GRADIENT_KERNEL, { x: saved[0]!, dy }, {}) as Tensor,
      };
    }) as (x: Tensor) => Tensor;
    fusedOps.set(tf, op);
  }
  return op;
}

/**
 * GELU in its erf form (Hendrycks & Gimpel 2016; Hugging Face's "gelu"), x/2 (1 + erf(x/√2)).
 * Where the backend has compute-native's fused kernels, one kernel forward and one backward
 * with the same bits as the composite below on the native kernels; else the composite (five
 * kernels forward, about ten backward).
 */
export function gelu(tf: TensorFlow, x: Tensor): Tensor {
  const backend = tf.getBackend();
  if (
    x.dtype === 'float32' &&
    tf.getKernel(FUSED_GELU_KERNEL, backend) !== undefined &&
    tf.getKernel(FUSED_GELU_GRADIENT_KERNEL, backend) !== undefined
  )
    return fusedGelu(tf)(x);
  return tf.mul(tf.mul(x, 0.5), tf.add(tf.erf(tf.mul(x, Math.SQRT1_2)), 1));
}
