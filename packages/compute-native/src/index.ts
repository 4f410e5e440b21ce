import { availableParallelism } from 'node:os';
import { loadAddon, type AddonLoad, type NativeAddon } from './load-addon.js';
import { batchMatMulKernel, fusedMatMulKernel } from './kernels/mat-mul-kernels.js';
import { softmaxKernel } from './kernels/softmax-kernel.js';
import { unsortedSegmentSumKernel } from './kernels/segment-sum-kernel.js';
import { meanKernel, sumKernel } from './kernels/sum-kernel.js';
import { identityKernel } from './kernels/identity-kernel.js';
import { gatherKernel } from './kernels/gather-kernel.js';
import { UNARY_KERNELS } from './kernels/unary-kernels.js';
import {
  addKernel,
  multiplyKernel,
  realDivKernel,
  squaredDifferenceKernel,
  subKernel,
} from './kernels/binary-kernels.js';
import { transposeKernel } from './kernels/transpose-kernel.js';
import { castKernel } from './kernels/cast-kernel.js';
import type { KernelConfigLike, KernelFunc, TfKernelRegistry } from './tfjs-surface.js';

export type { TfKernelRegistry } from './tfjs-surface.js';
export type { AddonLoad, NativeAddon } from './load-addon.js';
export { matMulShapes } from './kernels/matmul-plan.js';

/** What `activateNativeKernels` did; core copies it into BackendInfo and the run manifest. */
export interface NativeKernelStatus {
  active: boolean;
  /** Kernels now served by the addon (wasm backend). */
  kernels: string[];
  /** OpenBLAS threads in use. */
  threads?: number;
  /** OpenBLAS build string (`openblas_get_config`). */
  blas?: string;
  /** Why the native kernels are not active. */
  reason?: string;
}

type Wrap = (addon: NativeAddon, original: KernelFunc) => KernelFunc;

/** Kernel name -> its native version (each defers to the original for cases it does not cover). */
const NATIVE_KERNELS: Record<string, Wrap> = {
  BatchMatMul: batchMatMulKernel,
  _FusedMatMul: fusedMatMulKernel,
  Softmax: softmaxKernel,
  UnsortedSegmentSum: unsortedSegmentSumKernel,
  Sum: sumKernel,
  Mean: meanKernel,
  Identity: identityKernel,
  GatherV2: gatherKernel,
  Add: addKernel,
  Sub: subKernel,
  Multiply: multiplyKernel,
  RealDiv: realDivKernel,
  SquaredDifference: squaredDifferenceKernel,
  Transpose: transposeKernel,
  Cast: castKernel,
  ...UNARY_KERNELS,
};

const BACKEND = 'wasm';
let replaced: KernelConfigLike[] | undefined;
let status: NativeKernelStatus | undefined;

/**
 * Re-registers the wasm backend's hot kernels with OpenBLAS-backed versions that work on the
 * wasm heap in place. Call after the kernels to replace are registered (importing
 * tfjs-backend-wasm, plus any extra kernel such as UnsortedSegmentSum). Idempotent; never
 * throws: without the addon it returns `active: false` and the reason.
 *
 * Threads: `STEM_THREADS` caps OpenBLAS (default: the cores available to this process).
 */
export function activateNativeKernels(
  tf: TfKernelRegistry,
  options: { threads?: number } = {},
): NativeKernelStatus {
  return activateWithAddon(tf, loadAddon(), options);
}

/** `activateNativeKernels` with the addon given (tests hand in a missing one). */
export function activateWithAddon(
  tf: TfKernelRegistry,
  load: AddonLoad,
  options: { threads?: number } = {},
): NativeKernelStatus {
  if (replaced) return status as NativeKernelStatus;
  if (!load.addon) {
    return { active: false, kernels: [], reason: load.reason };
  }
  const addon = load.addon;
  addon.setThreads(options.threads ?? threadsFromEnvironment());
  replaced = [];
  for (const [kernelName, wrap] of Object.entries(NATIVE_KERNELS)) {
    const original = tf.getKernel(kernelName, BACKEND) as KernelConfigLike | undefined;
    if (!original) continue;
    tf.unregisterKernel(kernelName, BACKEND);
    // Keep the original's setup/dispose: the fallback path calls its kernelFunc, which needs
    // the wasm functions its setupFunc binds when the backend initialises.
    tf.registerKernel({ ...original, kernelFunc: wrap(addon, original.kernelFunc) } as never);
    replaced.push(original);
  }
  status = {
    active: true,
    kernels: replaced.map((k) => k.kernelName),
    threads: addon.threads(),
    blas: addon.blasConfig().trim(),
  };
  return status;
}

/** Puts the original wasm kernels back (tests; `--device wasm-plain` in a process that had them). */
export function deactivateNativeKernels(tf: TfKernelRegistry): void {
  if (!replaced) return;
  for (const original of replaced) {
    tf.unregisterKernel(original.kernelName, BACKEND);
    tf.registerKernel(original as never);
  }
  replaced = undefined;
  status = undefined;
}

/** Whether the addon loads, without touching any kernel. */
export function nativeAddonAvailable(): { available: boolean; reason?: string } {
  const load = loadAddon();
  return load.addon ? { available: true } : { available: false, reason: load.reason };
}

/** The install hint stem prints once when the addon is missing. */
export const NATIVE_INSTALL_HINT =
  'native CPU kernels are off: install OpenBLAS and a C++ toolchain (Debian/Ubuntu: apt-get install libopenblas-dev g++ make), then reinstall stem (pnpm install) for several times faster training';

function threadsFromEnvironment(): number {
  const requested = Number(process.env.STEM_THREADS);
  const cores = availableParallelism();
  return Number.isInteger(requested) && requested >= 1 ? Math.min(requested, cores) : cores;
}
