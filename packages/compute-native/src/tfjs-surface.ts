/**
 * The slice of TensorFlow.js this package uses, typed structurally: the `tf` namespace is
 * handed in by the caller (stem's core), so this package never loads a tfjs copy of its own
 * (two engines cannot share tensors).
 */
export interface TensorInfoLike {
  dataId: object;
  shape: number[];
  dtype: string;
}

export interface KernelArgs {
  inputs: Record<string, TensorInfoLike | undefined>;
  backend: unknown;
  attrs?: Record<string, unknown>;
}

export type KernelFunc = (args: KernelArgs) => TensorInfoLike | TensorInfoLike[];

export interface KernelConfigLike {
  kernelName: string;
  backendName: string;
  kernelFunc: KernelFunc;
  setupFunc?: (backend: unknown) => void;
  disposeFunc?: (backend: unknown) => void;
}

export interface TfKernelRegistry {
  getKernel(kernelName: string, backendName: string): unknown;
  registerKernel(config: never): void;
  unregisterKernel(kernelName: string, backendName: string): void;
}

/** What the kernels need from tfjs-backend-wasm 4.22's `BackendWasm` (not public API). */
export interface WasmBackendInternals {
  wasm: { HEAPU8: Uint8Array };
  dataIdMap: { get(dataId: object): { memoryOffset: number } | undefined };
  makeOutput(shape: number[], dtype: string): TensorInfoLike;
}
