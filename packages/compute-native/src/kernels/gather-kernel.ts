import { MAX_NATIVE_ELEMENTS } from '../tensor-memory.js';
import type { NativeKernelFactory } from './kernel-factory.js';

/**
 * `GatherV2` along axis 0 without batch dims (every embedding lookup): one row copy per id.
 * An id outside the table raises tfjs's own message; other axes go to the original kernel.
 */
export const gatherKernel: NativeKernelFactory = (addon, original, memory) => (args) => {
  const { x, indices } = args.inputs;
  const attrs = (args.attrs ?? {}) as { axis?: number; batchDims?: number };
  if (
    !x ||
    !indices ||
    x.dtype !== 'float32' ||
    indices.dtype !== 'int32' ||
    x.shape.length === 0 ||
    (attrs.axis ?? 0) !== 0 ||
    (attrs.batchDims ?? 0) !== 0
  )
    return original(args);
  const rows = x.shape[0] as number;
  const rowShape = x.shape.slice(1);
  const rowSize = rowShape.reduce((p, d) => p * d, 1);
  const idCount = indices.shape.reduce((p, d) => p * d, 1);
  if (idCount * rowSize > MAX_NATIVE_ELEMENTS) return original(args);
  const bound = memory.bind(args.backend, [x, indices]);
  if (!bound) return original(args);
  const out = bound.makeOutput([...indices.shape, ...rowShape], 'float32');
  const table = bound.operand(x);
  const ids = bound.operand(indices);
  const target = bound.operand(out);
  const bad = addon.gatherRows(
    table.array,
    table.offset,
    ids.array,
    ids.offset,
    target.array,
    target.offset,
    idCount,
    rowSize,
    rows,
  );
  if (bad !== -1) {
    bound.dispose(out);
    throw new Error(`GatherV2: the index value ${bad} is not in [0, ${rows - 1}]`);
  }
  return out;
};
