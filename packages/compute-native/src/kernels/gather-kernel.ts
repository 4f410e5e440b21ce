import type { NativeAddon } from '../load-addon.js';
import type { KernelFunc } from '../tfjs-surface.js';
import { elementOffset, heapView, isWasmBackend } from '../wasm-heap.js';

/**
 * `GatherV2` along axis 0 without batch dims (every embedding lookup): one row copy per id.
 * An id outside the table raises tfjs's own message; other axes go to the original kernel.
 */
export function gatherKernel(addon: NativeAddon, original: KernelFunc): KernelFunc {
  return (args) => {
    const { x, indices } = args.inputs;
    const backend = args.backend;
    const attrs = (args.attrs ?? {}) as { axis?: number; batchDims?: number };
    if (
      !x ||
      !indices ||
      x.dtype !== 'float32' ||
      indices.dtype !== 'int32' ||
      x.shape.length === 0 ||
      (attrs.axis ?? 0) !== 0 ||
      (attrs.batchDims ?? 0) !== 0 ||
      !isWasmBackend(backend)
    )
      return original(args);
    const rows = x.shape[0] as number;
    const rowShape = x.shape.slice(1);
    const rowSize = rowShape.reduce((p, d) => p * d, 1);
    const idCount = indices.shape.reduce((p, d) => p * d, 1);
    const out = backend.makeOutput([...indices.shape, ...rowShape], 'float32');
    const bad = addon.gatherRows(
      heapView(backend),
      elementOffset(backend, x),
      elementOffset(backend, indices),
      elementOffset(backend, out),
      idCount,
      rowSize,
      rows,
    );
    if (bad !== -1) {
      (backend as unknown as { disposeData(id: object): void }).disposeData(out.dataId);
      throw new Error(`GatherV2: the index value ${bad} is not in [0, ${rows - 1}]`);
    }
    return out;
  };
}
