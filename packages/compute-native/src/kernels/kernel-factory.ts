import type { NativeAddon } from '../load-addon.js';
import type { TensorMemory } from '../tensor-memory.js';
import type { KernelFunc } from '../tfjs-surface.js';

/**
 * Builds a native kernel for one backend: the addon does the work on the tensors `memory`
 * reaches, and every case the native version does not cover goes to `original`.
 */
export type NativeKernelFactory = (
  addon: NativeAddon,
  original: KernelFunc,
  memory: TensorMemory,
) => KernelFunc;
