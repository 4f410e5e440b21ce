import type { NativeAddon } from '../load-addon.js';
import type { KernelFunc } from '../tfjs-surface.js';

interface RefCounting {
  incRef(dataId: object): void;
}

/**
 * `Identity` without a copy: the output shares the input's heap block and the backend's
 * reference count keeps it alive (wasm's own Reshape does the same; its Identity copies).
 * tfjs kernels never write into their inputs, so sharing is safe. Optimizers call Identity
 * for every variable on every step.
 */
export function identityKernel(_addon: NativeAddon, original: KernelFunc): KernelFunc {
  return (args) => {
    const x = args.inputs.x;
    const backend = args.backend as Partial<RefCounting>;
    if (!x || x.dtype === 'string' || typeof backend.incRef !== 'function') return original(args);
    backend.incRef(x.dataId);
    return { dataId: x.dataId, shape: [...x.shape], dtype: x.dtype };
  };
}
