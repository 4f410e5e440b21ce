import type { NativeAddon } from '../load-addon.js';
import type { KernelFunc } from '../tfjs-surface.js';
import { elementOffset, heapView, isWasmBackend } from '../wasm-heap.js';

/**
 * `UnsortedSegmentSum` (the gradient of `tf.gather`, i.e. of every embedding lookup): one
 * axpy per id. Ids outside [0, numSegments) are dropped, as in TensorFlow.
 */
export function unsortedSegmentSumKernel(addon: NativeAddon, original: KernelFunc): KernelFunc {
  return (args) => {
    const { x, segmentIds } = args.inputs;
    const backend = args.backend;
    const numSegments = (args.attrs as { numSegments?: number } | undefined)?.numSegments;
    if (
      !x ||
      !segmentIds ||
      x.dtype !== 'float32' ||
      segmentIds.dtype !== 'int32' ||
      numSegments === undefined ||
      !isWasmBackend(backend)
    )
      return original(args);
    const rowShape = x.shape.slice(segmentIds.shape.length);
    const rowSize = rowShape.reduce((p, d) => p * d, 1);
    const idCount = segmentIds.shape.reduce((p, d) => p * d, 1);
    const out = backend.makeOutput([numSegments, ...rowShape], 'float32');
    addon.segmentSum(
      heapView(backend),
      elementOffset(backend, x),
      elementOffset(backend, segmentIds),
      elementOffset(backend, out),
      idCount,
      rowSize,
      numSegments,
    );
    return out;
  };
}
