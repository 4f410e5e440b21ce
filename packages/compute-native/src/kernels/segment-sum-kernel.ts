import { MAX_NATIVE_ELEMENTS } from '../tensor-memory.js';
import type { NativeKernelFactory } from './kernel-factory.js';

/**
 * `UnsortedSegmentSum` (the gradient of `tf.gather`, i.e. of every embedding lookup): one
 * axpy per id. Ids outside [0, numSegments) are dropped, as in TensorFlow.
 */
export const unsortedSegmentSumKernel: NativeKernelFactory =
  (addon, original, memory) => (args) => {
    const { x, segmentIds } = args.inputs;
    const numSegments = (args.attrs as { numSegments?: number } | undefined)?.numSegments;
    if (
      !x ||
      !segmentIds ||
      x.dtype !== 'float32' ||
      segmentIds.dtype !== 'int32' ||
      numSegments === undefined
    )
      return original(args);
    const rowShape = x.shape.slice(segmentIds.shape.length);
    const rowSize = rowShape.reduce((p, d) => p * d, 1);
    const idCount = segmentIds.shape.reduce((p, d) => p * d, 1);
    if (numSegments * rowSize > MAX_NATIVE_ELEMENTS) return original(args);
    const bound = memory.bind(args.backend, [x, segmentIds]);
    if (!bound) return original(args);
    const out = bound.makeOutput([numSegments, ...rowShape], 'float32');
    const rows = bound.operand(x);
    const ids = bound.operand(segmentIds);
    const target = bound.operand(out);
    addon.segmentSum(
      rows.array,
      rows.offset,
      ids.array,
      ids.offset,
      target.array,
      target.offset,
      idCount,
      rowSize,
      numSegments,
    );
    return out;
  };
