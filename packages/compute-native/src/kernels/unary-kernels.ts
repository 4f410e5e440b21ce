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

/** Kernel name -> the addon's `unary` op code (src/native/stem_native.cc). */
const UNARY_CODES = {
  Exp: 0, // softmax cross-entropy, the GELU gradient
  Erf: 1, // the erf form of GELU
  Sqrt: 2, // Adam's denominator
  Rsqrt: 3, // layer norm
  Square: 4, // Adam's second moment, variances
  Neg: 5, // gradients of Sub
  Tanh: 6, // the tanh form of GELU, poolers
  Log: 7, // cross-entropy
  Abs: 8,
  Reciprocal: 11,
} as const;

type Wrap = (addon: NativeAddon, original: KernelFunc) => KernelFunc;

export const UNARY_KERNELS: Record<string, Wrap> = Object.fromEntries(
  Object.entries(UNARY_CODES).map(([name, code]) => [
    name,
    (addon: NativeAddon, original: KernelFunc) => unaryKernel(code, addon, original),
  ]),
);
