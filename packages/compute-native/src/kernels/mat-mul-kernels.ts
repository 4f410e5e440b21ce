import type { NativeAddon } from '../load-addon.js';
import type { KernelArgs, KernelFunc, TensorInfoLike } from '../tfjs-surface.js';
import { elementOffset, heapView, isWasmBackend } from '../wasm-heap.js';
import { gemmPlan, matMulShapes } from './matmul-plan.js';

/** tfjs-backend-wasm's FusableActivation codes (the addon uses the same numbers). */
const ACTIVATION_CODES: Record<string, number> = {
  linear: 0,
  relu: 1,
  relu6: 2,
  prelu: 3,
  leakyrelu: 4,
  sigmoid: 5,
  elu: 6,
};

interface MatMulAttrs {
  transposeA?: boolean;
  transposeB?: boolean;
  activation?: string;
  leakyreluAlpha?: number;
}

/** `BatchMatMul` over cblas_sgemm; anything it does not cover goes to `original`. */
export function batchMatMulKernel(addon: NativeAddon, original: KernelFunc): KernelFunc {
  return (args) => {
    const product = nativeProduct(addon, args);
    return product ?? original(args);
  };
}

/**
 * `_FusedMatMul`: the product, then bias and activation in one pass over the output. Covers a
 * bias / PReLU slope that is a scalar or one value per output column; defers the rest.
 */
export function fusedMatMulKernel(addon: NativeAddon, original: KernelFunc): KernelFunc {
  return (args) => {
    const { bias, preluActivationWeights } = args.inputs;
    const attrs = (args.attrs ?? {}) as MatMulAttrs;
    const activation = ACTIVATION_CODES[attrs.activation ?? 'linear'];
    if (activation === undefined) return original(args);
    const shapes = shapesOf(args);
    if (shapes === undefined) return original(args);
    if (bias !== undefined && !perColumn(bias, shapes.n)) return original(args);
    if (preluActivationWeights !== undefined && !perColumn(preluActivationWeights, shapes.n))
      return original(args);
    if (attrs.activation === 'prelu' && preluActivationWeights === undefined) return original(args);
    const out = nativeProduct(addon, args);
    if (out === undefined) return original(args);
    const backend = args.backend;
    if (!isWasmBackend(backend)) return original(args);
    const size = out.shape.reduce((p, d) => p * d, 1);
    if (size === 0) return out;
    addon.biasActivation(
      heapView(backend),
      elementOffset(backend, out),
      size / shapes.n,
      shapes.n,
      bias ? elementOffset(backend, bias) : -1,
      bias ? sizeOf(bias) : 0,
      activation,
      attrs.leakyreluAlpha ?? 0.2,
      preluActivationWeights ? elementOffset(backend, preluActivationWeights) : -1,
      preluActivationWeights ? sizeOf(preluActivationWeights) : 0,
    );
    return out;
  };
}

function shapesOf(args: KernelArgs) {
  const { a, b } = args.inputs;
  if (a === undefined || b === undefined) return undefined;
  const attrs = (args.attrs ?? {}) as MatMulAttrs;
  return matMulShapes(a.shape, b.shape, attrs.transposeA === true, attrs.transposeB === true);
}

function nativeProduct(addon: NativeAddon, args: KernelArgs): TensorInfoLike | undefined {
  const { a, b } = args.inputs;
  const backend = args.backend;
  if (a === undefined || b === undefined || !isWasmBackend(backend)) return undefined;
  if (a.dtype !== 'float32' || b.dtype !== 'float32') return undefined;
  const attrs = (args.attrs ?? {}) as MatMulAttrs;
  const transposeA = attrs.transposeA === true;
  const transposeB = attrs.transposeB === true;
  const shapes = matMulShapes(a.shape, b.shape, transposeA, transposeB);
  if (shapes === undefined) return undefined;
  const out = backend.makeOutput(shapes.outShape, 'float32');
  // makeOutput may have grown the heap: take the view (and offsets) only now.
  const plan = gemmPlan(
    shapes,
    transposeA,
    transposeB,
    elementOffset(backend, a),
    elementOffset(backend, b),
    elementOffset(backend, out),
  );
  addon.gemmBatch(heapView(backend), plan);
  return out;
}

function sizeOf(tensor: TensorInfoLike): number {
  return tensor.shape.reduce((p, d) => p * d, 1);
}

/** A scalar, or n values along the last axis with every other axis of size 1. */
function perColumn(tensor: TensorInfoLike, n: number): boolean {
  if (tensor.dtype !== 'float32') return false;
  const size = sizeOf(tensor);
  if (size === 1) return true;
  return size === n && tensor.shape[tensor.shape.length - 1] === n;
}
