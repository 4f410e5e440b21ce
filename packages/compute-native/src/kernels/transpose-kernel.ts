import type { NativeKernelFactory } from './kernel-factory.js';

/**
 * `Transpose` of 4-byte tensors (float32, int32) as one strided copy: the output is walked in
 * order and each output dimension reads the input at that axis's stride. Size-1 axes are dropped
 * and output axes that stay adjacent in the input merged, so the attention's
 * [B, T, H, D] -> [B, H, T, D] copies rows of D. Other dtypes go to the original kernel.
 */
export const transposeKernel: NativeKernelFactory = (addon, original, memory) => {
  return (args) => {
    const x = args.inputs.x;
    const perm = (args.attrs as { perm?: number[] } | undefined)?.perm;
    if (
      !x ||
      !perm ||
      perm.length !== x.shape.length ||
      (x.dtype !== 'float32' && x.dtype !== 'int32')
    )
      return original(args);
    const rank = x.shape.length;
    const inStrides = new Array<number>(rank);
    let stride = 1;
    for (let i = rank - 1; i >= 0; i--) {
      inStrides[i] = stride;
      stride *= x.shape[i] as number;
    }
    const outShape = perm.map((p) => x.shape[p] as number);
    const shape: number[] = [];
    const strides: number[] = [];
    for (let i = 0; i < rank; i++) {
      const extent = outShape[i] as number;
      if (extent === 1) continue;
      const s = inStrides[perm[i] as number] as number;
      const last = shape.length - 1;
      if (last >= 0 && strides[last] === s * extent) {
        shape[last] = (shape[last] as number) * extent;
        strides[last] = s;
        continue;
      }
      shape.push(extent);
      strides.push(s);
    }
    if (shape.length > 8) return original(args);
    const bound = memory.bind(args.backend, [x]);
    if (!bound) return original(args);
    const out = bound.makeOutput(outShape, x.dtype);
    if (stride === 0) return out;
    if (shape.length === 0) {
      shape.push(1);
      strides.push(1);
    }
    const input = bound.operand(x);
    const output = bound.operand(out);
    addon.stridedCopy(
      input.array,
      input.offset,
      output.array,
      output.offset,
      Int32Array.from([shape.length, ...shape, ...strides]),
    );
    return out;
  };
};
