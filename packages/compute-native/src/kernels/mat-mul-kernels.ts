import type { NativeAddon } from '../load-addon.js';
import {
  MAX_NATIVE_ELEMENTS,
  elementCount,
  type BoundTensorMemory,
  type TensorMemory,
} from '../tensor-memory.js';
import type { KernelArgs, TensorInfoLike } from '../tfjs-surface.js';
import type { NativeKernelFactory } from './kernel-factory.js';
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
export const batchMatMulKernel: NativeKernelFactory = (addon, original, memory) => (args) =>
  nativeProduct(addon, args, memory, [])?.out ?? original(args);

/**
 * `_FusedMatMul`: the product, then bias and activation in one pass over the output. Covers a
 * bias / PReLU slope that is a scalar or one value per output column; defers the rest.
 */
export const fusedMatMulKernel: NativeKernelFactory = (addon, original, memory) => (args) => {
  const { bias, preluActivationWeights: slope } = args.inputs;
  const attrs = (args.attrs ?? {}) as MatMulAttrs;
  const activation = ACTIVATION_CODES[attrs.activation ?? 'linear'];
  if (activation === undefined) return original(args);
  const shapes = shapesOf(args);
  if (shapes === undefined) return original(args);
  if (bias !== undefined && !perColumn(bias, shapes.n)) return original(args);
  if (slope !== undefined && !perColumn(slope, shapes.n)) return original(args);
  if (attrs.activation === 'prelu' && slope === undefined) return original(args);
  const extra = [bias, slope].filter((t): t is TensorInfoLike => t !== undefined);
  const product = nativeProduct(addon, args, memory, extra);
  if (product === undefined) return original(args);
  const { out, bound } = product;
  const size = sizeOf(out);
  if (size === 0) return out;
  const target = bound.operand(out);
  const biasOperand = bias ? bound.operand(bias) : target;
  const slopeOperand = slope ? bound.operand(slope) : target;
  addon.biasActivation(
    target.array,
    target.offset,
    size / shapes.n,
    shapes.n,
    biasOperand.array,
    bias ? biasOperand.offset : -1,
    bias ? sizeOf(bias) : 0,
    activation,
    attrs.leakyreluAlpha ?? 0.2,
    slopeOperand.array,
    slope ? slopeOperand.offset : -1,
    slope ? sizeOf(slope) : 0,
  );
  return out;
};

function shapesOf(args: KernelArgs) {
  const { a, b } = args.inputs;
  if (a === undefined || b === undefined) return undefined;
  const attrs = (args.attrs ?? {}) as MatMulAttrs;
  return matMulShapes(a.shape, b.shape, attrs.transposeA === true, attrs.transposeB === true);
}

/** The product on the addon, with the memory bound to it (and to `extra` inputs). */
function nativeProduct(
  addon: NativeAddon,
  args: KernelArgs,
  memory: TensorMemory,
  extra: TensorInfoLike[],
): { out: TensorInfoLike; bound: BoundTensorMemory } | undefined {
  const { a, b } = args.inputs;
  if (a === undefined || b === undefined) return undefined;
  if (a.dtype !== 'float32' || b.dtype !== 'float32') return undefined;
  const attrs = (args.attrs ?? {}) as MatMulAttrs;
  const transposeA = attrs.transposeA === true;
  const transposeB = attrs.transposeB === true;
  const shapes = matMulShapes(a.shape, b.shape, transposeA, transposeB);
  if (shapes === undefined || elementCount(shapes.outShape) > MAX_NATIVE_ELEMENTS) return undefined;
  const bound = memory.bind(args.backend, [a, b, ...extra]);
  if (!bound) return undefined;
  const out = bound.makeOutput(shapes.outShape, 'float32');
  // makeOutput may have grown the wasm heap: take the operands only now.
  const left = bound.operand(a);
  const right = bound.operand(b);
  const target = bound.operand(out);
  const plan = gemmPlan(shapes, transposeA, transposeB, left.offset, right.offset, target.offset);
  addon.gemmBatch(left.array, right.array, target.array, plan);
  return { out, bound };
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
