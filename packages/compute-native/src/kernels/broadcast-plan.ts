/**
 * The walk of a broadcasting binary op, for the addon: the output shape with, per dimension,
 * each operand's stride in elements (0 where it broadcasts). Size-1 dimensions are dropped and
 * adjacent dimensions merged where both operands continue contiguously (or both broadcast), so
 * `[B, T, H] + [H]` becomes `[B*T, H]` and same-shape ops one flat run. The innermost stride of
 * each operand is then 0 or 1. Returns undefined when the shapes do not broadcast.
 */
export interface BroadcastPlan {
  outShape: number[];
  /** Int32Array [rank, shape x rank, aStride x rank, bStride x rank]. */
  plan: Int32Array;
  size: number;
}

export function broadcastPlan(aShape: number[], bShape: number[]): BroadcastPlan | undefined {
  const rank = Math.max(aShape.length, bShape.length);
  const outShape: number[] = [];
  const aDims: number[] = [];
  const bDims: number[] = [];
  for (let i = 0; i < rank; i++) {
    const a = aShape[aShape.length - rank + i] ?? 1;
    const b = bShape[bShape.length - rank + i] ?? 1;
    if (a !== b && a !== 1 && b !== 1) return undefined;
    outShape.push(a === 1 ? b : a);
    aDims.push(a);
    bDims.push(b);
  }
  const size = outShape.reduce((p, d) => p * d, 1);
  const aStrides = contiguousStrides(aDims);
  const bStrides = contiguousStrides(bDims);
  const shape: number[] = [];
  const aStride: number[] = [];
  const bStride: number[] = [];
  for (let i = 0; i < rank; i++) {
    const extent = outShape[i] as number;
    if (extent === 1) continue;
    const as = aDims[i] === 1 ? 0 : (aStrides[i] as number);
    const bs = bDims[i] === 1 ? 0 : (bStrides[i] as number);
    const last = shape.length - 1;
    if (last >= 0 && aStride[last] === as * extent && bStride[last] === bs * extent) {
      // The previous dimension continues this one for both operands: merge them.
      shape[last] = (shape[last] as number) * extent;
      aStride[last] = as;
      bStride[last] = bs;
      continue;
    }
    shape.push(extent);
    aStride.push(as);
    bStride.push(bs);
  }
  if (shape.length === 0) {
    shape.push(1);
    aStride.push(0);
    bStride.push(0);
  }
  const plan = Int32Array.from([shape.length, ...shape, ...aStride, ...bStride]);
  return { outShape, plan, size };
}

function contiguousStrides(shape: number[]): number[] {
  const strides = new Array<number>(shape.length);
  let stride = 1;
  for (let i = shape.length - 1; i >= 0; i--) {
    strides[i] = stride;
    stride *= shape[i] as number;
  }
  return strides;
}
