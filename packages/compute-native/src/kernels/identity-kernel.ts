import type { NativeKernelFactory } from './kernel-factory.js';

interface RefCounting {
  incRef(dataId: object): void;
}

/**
 * `Identity` without a copy: the output shares the input's data and the backend's reference
 * count keeps it alive (wasm's own Reshape does the same; its Identity copies). tfjs kernels
 * never write into their inputs, so sharing is safe. Optimizers call Identity for every
 * variable on every step.
 */
export const identityKernel: NativeKernelFactory = (_addon, original) => (args) => {
  const x = args.inputs.x;
  const backend = args.backend as Partial<RefCounting> | undefined;
  if (!x || x.dtype === 'string' || typeof backend?.incRef !== 'function') return original(args);
  backend.incRef(x.dataId);
  return { dataId: x.dataId, shape: [...x.shape], dtype: x.dtype };
};
