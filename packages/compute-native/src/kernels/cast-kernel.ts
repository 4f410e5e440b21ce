import type { NativeAddon } from '../load-addon.js';
import type { KernelFunc, WasmBackendInternals } from '../tfjs-surface.js';
import { elementOffset, heapView, isWasmBackend } from '../wasm-heap.js';

interface RefCounting {
  incRef(dataId: object): void;
}

/**
 * `Cast` to float32. From float32 the output shares the input's heap block (as `Identity`
 * does; wasm copies through JS typed arrays); from int32 or bool (masks, dropout) the addon
 * converts in one loop. Other casts go to the original kernel.
 */
export function castKernel(addon: NativeAddon, original: KernelFunc): KernelFunc {
  return (args) => {
    const x = args.inputs.x;
    const backend = args.backend;
    const dtype = (args.attrs as { dtype?: string } | undefined)?.dtype;
    if (!x || dtype !== 'float32' || !isWasmBackend(backend)) return original(args);
    if (x.dtype === 'float32') {
      const counting = backend as unknown as Partial<RefCounting>;
      if (typeof counting.incRef !== 'function') return original(args);
      counting.incRef(x.dataId);
      return { dataId: x.dataId, shape: [...x.shape], dtype: 'float32' };
    }
    if (x.dtype !== 'int32' && x.dtype !== 'bool') return original(args);
    const size = x.shape.reduce((p, d) => p * d, 1);
    const out = backend.makeOutput([...x.shape], 'float32');
    if (size === 0) return out;
    addon.toFloat(
      heapView(backend),
      x.dtype === 'int32' ? 0 : 1,
      byteOffset(backend, x),
      elementOffset(backend, out),
      size,
    );
    return out;
  };
}

function byteOffset(backend: WasmBackendInternals, tensor: { dataId: object }): number {
  const data = backend.dataIdMap.get(tensor.dataId);
  if (data === undefined) throw new Error('@stem/compute-native: tensor is not on the wasm heap');
  return data.memoryOffset;
}
