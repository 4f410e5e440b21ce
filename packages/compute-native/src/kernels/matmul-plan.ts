/**
 * Shapes of a (batched) matrix product with numpy-style batch broadcasting, and the per-batch
 * offsets (into each operand's memory) the addon's `gemmBatch` consumes. Returns undefined where the product is not
 * well formed, so the caller can defer to the original kernel and its error message.
 */
export interface MatMulShapes {
  m: number;
  n: number;
  k: number;
  /** Output shape: broadcast batch dims + [m, n]. */
  outShape: number[];
  /** For each output matrix, the index of the A and B matrices it multiplies. */
  aIndex: Int32Array;
  bIndex: Int32Array;
}

export function matMulShapes(
  aShape: number[],
  bShape: number[],
  transposeA: boolean,
  transposeB: boolean,
): MatMulShapes | undefined {
  if (aShape.length < 2 || bShape.length < 2) return undefined;
  const [aRows, aCols] = aShape.slice(-2) as [number, number];
  const [bRows, bCols] = bShape.slice(-2) as [number, number];
  const m = transposeA ? aCols : aRows;
  const k = transposeA ? aRows : aCols;
  const kB = transposeB ? bCols : bRows;
  const n = transposeB ? bRows : bCols;
  if (k !== kB) return undefined;
  const aBatch = aShape.slice(0, -2);
  const bBatch = bShape.slice(0, -2);
  const rank = Math.max(aBatch.length, bBatch.length);
  const outBatch: number[] = [];
  for (let i = 0; i < rank; i++) {
    const da = aBatch[i - (rank - aBatch.length)] ?? 1;
    const db = bBatch[i - (rank - bBatch.length)] ?? 1;
    if (da !== db && da !== 1 && db !== 1) return undefined;
    outBatch.push(da === 1 ? db : da);
  }
  const count = outBatch.reduce((p, d) => p * d, 1);
  const aIndex = new Int32Array(count);
  const bIndex = new Int32Array(count);
  const aStrides = broadcastStrides(aBatch, rank);
  const bStrides = broadcastStrides(bBatch, rank);
  const coordinate = new Array<number>(rank).fill(0);
  for (let flat = 0; flat < count; flat++) {
    let ai = 0;
    let bi = 0;
    for (let d = 0; d < rank; d++) {
      ai += (coordinate[d] as number) * (aStrides[d] as number);
      bi += (coordinate[d] as number) * (bStrides[d] as number);
    }
    aIndex[flat] = ai;
    bIndex[flat] = bi;
    for (let d = rank - 1; d >= 0; d--) {
      coordinate[d] = (coordinate[d] as number) + 1;
      if ((coordinate[d] as number) < (outBatch[d] as number)) break;
      coordinate[d] = 0;
    }
  }
  return { m, n, k, outShape: [...outBatch, m, n], aIndex, bIndex };
}

/** Row-major strides of `batch` right-aligned to `rank`, 0 along broadcast (size-1) dims. */
function broadcastStrides(batch: number[], rank: number): number[] {
  const strides = new Array<number>(rank).fill(0);
  let stride = 1;
  for (let i = batch.length - 1; i >= 0; i--) {
    const size = batch[i] as number;
    strides[i + rank - batch.length] = size === 1 ? 0 : stride;
    stride *= size;
  }
  return strides;
}

/** The addon's plan: [m, n, k, transA, transB, count, (aOff, bOff, cOff) x count]. */
export function gemmPlan(
  shapes: MatMulShapes,
  transposeA: boolean,
  transposeB: boolean,
  aOffset: number,
  bOffset: number,
  cOffset: number,
): Int32Array {
  const { m, n, k, aIndex, bIndex } = shapes;
  const count = aIndex.length;
  const plan = new Int32Array(6 + 3 * count);
  plan.set([m, n, k, transposeA ? 1 : 0, transposeB ? 1 : 0, count]);
  for (let i = 0; i < count; i++) {
    plan[6 + 3 * i] = aOffset + (aIndex[i] as number) * m * k;
    plan[7 + 3 * i] = bOffset + (bIndex[i] as number) * k * n;
    plan[8 + 3 * i] = cOffset + i * m * n;
  }
  return plan;
}
