import type { NativeAddon } from '../load-addon.js';
import type { KernelFunc } from '../tfjs-surface.js';
import { elementOffset, heapView, isWasmBackend } from '../wasm-heap.js';

/** Element-wise float32 ops the addon computes with the C library (wasm's are scalar loops). */
function unaryKernel(op: number, addon: NativeAddon, original: KernelFunc): KernelFunc {
  return (args) => {
    const x = args.inputs.x;
    const backend = args.backend;
    if (!x || x.dtype !== 'float32' || !isWasmBackend(backend)) return original(args);
    const size = x.shape.reduce((p, d) => p * d, 1);
    const out = backend.makeOutput([...x.shape], 'float32');
    if (size === 0) return out;
    addon.unary(
      heapView(backend),
      op,
      elementOffset(backend, x),
      elementOffset(backend, out),
      size,
    );
    return out;
  };
}

/** `Exp` (softmax cross-entropy, the GELU gradient). */
export const expKernel = (addon: NativeAddon, original: KernelFunc): KernelFunc =>
  unaryKernel(0, addon, original);

/** `Erf` (the erf form of GELU). */
export const erfKernel = (addon: NativeAddon, original: KernelFunc): KernelFunc =>
  unaryKernel(1, addon, original);
