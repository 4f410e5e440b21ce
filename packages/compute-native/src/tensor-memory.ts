import type { TensorInfoLike } from './tfjs-surface.js';

/**
 * Where one operand's data is, as the addon takes it: a typed array and an offset into it in
 * 4-byte elements (bytes for `byteOperand`). The wasm backend hands out one view over its heap
 * and each tensor's offset; the CPU backend each tensor's own typed array at offset 0.
 */
export interface NativeOperand {
  array: Float32Array | Int32Array | Uint8Array;
  offset: number;
}

/**
 * A backend's tensor memory, bound to one kernel call. Allocate outputs first, then take
 * operands: the wasm heap is replaced when it grows, so a view taken before `makeOutput` may
 * be stale.
 */
export interface BoundTensorMemory {
  makeOutput(shape: number[], dtype: 'float32' | 'int32'): TensorInfoLike;
  /** The tensor's 4-byte elements (float32, int32). */
  operand(tensor: TensorInfoLike): NativeOperand;
  /** The tensor's bytes, with the offset in bytes (bool inputs). */
  byteOperand(tensor: TensorInfoLike): NativeOperand;
  /** Frees an output the kernel will not return (an error after allocating it). */
  dispose(tensor: TensorInfoLike): void;
}

/**
 * How the native kernels reach one tfjs backend's tensors. The kernels are written once
 * against this adapter; `wasm-heap.ts` and `cpu-tensor-memory.ts` implement it.
 */
export interface TensorMemory {
  /** The tfjs backend name whose kernels are replaced (`wasm`, `cpu`). */
  backendName: string;
  /**
   * The memory of `backend` for a call with these inputs, or undefined where the addon cannot
   * reach one of them (the kernel then defers to the original).
   */
  bind(backend: unknown, inputs: TensorInfoLike[]): BoundTensorMemory | undefined;
}

/**
 * The largest element count the addon's Int32 plans can address (offsets, strides, merged
 * dimensions). Larger tensors stay on the original kernels.
 */
export const MAX_NATIVE_ELEMENTS = 2 ** 31 - 1;

export function elementCount(shape: number[]): number {
  return shape.reduce((p, d) => p * d, 1);
}
