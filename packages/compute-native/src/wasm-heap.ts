import type { TensorInfoLike, WasmBackendInternals } from './tfjs-surface.js';
import type { BoundTensorMemory, TensorMemory } from './tensor-memory.js';

let cachedBuffer: ArrayBufferLike | undefined;
let cachedView: Float32Array | undefined;

/**
 * One Float32Array over the whole wasm memory. Wasm memory grows by replacing its buffer
 * (the old one is detached), so the view is re-derived whenever the buffer changed; call
 * this after every allocation (`makeOutput`) and before handing the view to the addon.
 */
export function heapView(backend: WasmBackendInternals): Float32Array {
  const buffer = backend.wasm.HEAPU8.buffer;
  if (buffer !== cachedBuffer || cachedView === undefined) {
    cachedBuffer = buffer;
    cachedView = new Float32Array(buffer, 0, buffer.byteLength >>> 2);
  }
  return cachedView;
}

/** The tensor's position in the heap, in bytes (wasm's malloc aligns to 8+). */
function byteOffset(backend: WasmBackendInternals, tensor: TensorInfoLike): number {
  const data = backend.dataIdMap.get(tensor.dataId);
  if (data === undefined) throw new Error('@stem/compute-native: tensor is not on the wasm heap');
  return data.memoryOffset;
}

/** Checks that the backend is tfjs-backend-wasm 4.x as this package knows it. */
export function isWasmBackend(backend: unknown): backend is WasmBackendInternals {
  const candidate = backend as Partial<WasmBackendInternals> | undefined;
  return (
    candidate?.wasm?.HEAPU8 instanceof Uint8Array &&
    typeof candidate.dataIdMap?.get === 'function' &&
    typeof candidate.makeOutput === 'function'
  );
}

/**
 * The wasm backend's tensors, in place on its 32-bit heap: every operand is the one heap view
 * at the tensor's offset (so the heap, at most 4 GiB, bounds every run on this backend).
 */
export const wasmHeapMemory: TensorMemory = {
  backendName: 'wasm',
  bind(backend, inputs): BoundTensorMemory | undefined {
    if (!isWasmBackend(backend)) return undefined;
    if (inputs.some((t) => backend.dataIdMap.get(t.dataId) === undefined)) return undefined;
    return {
      makeOutput: (shape, dtype) => backend.makeOutput(shape, dtype),
      operand: (tensor) => ({
        array: heapView(backend),
        offset: byteOffset(backend, tensor) >>> 2,
      }),
      byteOperand: (tensor) => ({ array: heapView(backend), offset: byteOffset(backend, tensor) }),
      dispose: (tensor) =>
        (backend as unknown as { disposeData(id: object): void }).disposeData(tensor.dataId),
    };
  },
};
