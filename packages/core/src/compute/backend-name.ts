export const DEVICE_CHOICES = ['auto', 'gpu', 'cpu', 'wasm', 'wasm-plain', 'native', 'js'] as const;
/**
 * `gpu` = tfjs-node-gpu, `cpu` = tfjs-node (native), `wasm` = tfjs-backend-wasm (with the
 * OpenBLAS kernels of @stem/compute-native where they load), `wasm-plain` = the same backend
 * without them, `native` = tfjs-backend-cpu's tensors (ordinary typed arrays, no 4 GiB wasm
 * heap) with the OpenBLAS kernels (required: without them it is refused), `js` =
 * tfjs-backend-cpu alone. `auto` never picks `native` (the default is chosen by measurement).
 */
export type DeviceChoice = (typeof DEVICE_CHOICES)[number];

export interface BackendInfo {
  /** What was asked for. */
  requested: DeviceChoice;
  /** The device that is used (`wasm-plain` is reported as `wasm` with `nativeKernels.active` false). */
  device: Exclude<DeviceChoice, 'auto'>;
  /** tfjs backend name (`tensorflow`, `wasm`, `cpu`). */
  backend: string;
  /** Package providing it. */
  package: string;
  tfjsVersion: string;
  /** Why faster devices were passed over (missing package, no GPU, ...). */
  skipped: Array<{ device: string; reason: string }>;
  /** wasm and native: whether @stem/compute-native's OpenBLAS kernels serve the hot kernels. */
  nativeKernels?: NativeKernelInfo;
}

export interface NativeKernelInfo {
  active: boolean;
  /** Kernels served natively (BatchMatMul, _FusedMatMul, ...). */
  kernels: string[];
  /** OpenBLAS threads (capped by STEM_THREADS). */
  threads?: number;
  /** OpenBLAS build string. */
  blas?: string;
  /** Why they are off (not installed, not built, --device wasm-plain, STEM_NATIVE=0). */
  reason?: string;
}
