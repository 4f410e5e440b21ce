export const DEVICE_CHOICES = ['auto', 'gpu', 'cpu', 'wasm', 'js'] as const;
/** `gpu` = tfjs-node-gpu, `cpu` = tfjs-node (native), `wasm` = tfjs-backend-wasm, `js` = tfjs-backend-cpu. */
export type DeviceChoice = (typeof DEVICE_CHOICES)[number];

export interface BackendInfo {
  /** What was asked for. */
  requested: DeviceChoice;
  /** The device that is used. */
  device: Exclude<DeviceChoice, 'auto'>;
  /** tfjs backend name (`tensorflow`, `wasm`, `cpu`). */
  backend: string;
  /** Package providing it. */
  package: string;
  tfjsVersion: string;
  /** Why faster devices were passed over (missing package, no GPU, ...). */
  skipped: Array<{ device: string; reason: string }>;
}
