import type { NativeKernelFactory } from './kernel-factory.js';

/** Element-wise float32 ops the addon computes with the C library (wasm's are scalar loops). */
const unaryKernel =
  (op: number): NativeKernelFactory =>
  (addon, original, memory) =>
  (args) => {
    const x = args.inputs.x;
    if (!x || x.dtype !== 'float32') return original(args);
    const bound = memory.bind(args.backend, [x]);
    if (!bound) return original(args);
    const size = x.shape.reduce((p, d) => p * d, 1);
    const out = bound.makeOutput([...x.shape], 'float32');
    if (size === 0) return out;
    const input = bound.operand(x);
    const output = bound.operand(out);
    addon.unary(op, input.array, input.offset, output.array, output.offset, size);
    return out;
  };

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

export const UNARY_KERNELS: Record<string, NativeKernelFactory> = Object.fromEntries(
  Object.entries(UNARY_CODES).map(([name, code]) => [name, unaryKernel(code)]),
);
