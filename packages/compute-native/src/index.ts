import { availableParallelism } from 'node:os';
import { loadAddon, type AddonLoad } from './load-addon.js';
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
import { ADAMW_KERNEL_NAME, adamWKernel } from './kernels/adamw-kernel.js';
import {
  GELU_GRADIENT_KERNEL_NAME,
  GELU_KERNEL_NAME,
  geluGradientKernel,
  geluKernel,
} from './kernels/gelu-kernels.js';
import type { NativeKernelFactory } from './kernels/kernel-factory.js';
import type { TensorMemory } from './tensor-memory.js';
import { wasmHeapMemory } from './wasm-heap.js';
import { cpuTensorMemory } from './cpu-tensor-memory.js';
import type { KernelConfigLike, TfKernelRegistry } from './tfjs-surface.js';

export type { TfKernelRegistry } from './tfjs-surface.js';
export type { AddonLoad, NativeAddon } from './load-addon.js';
export { matMulShapes } from './kernels/matmul-plan.js';
export {
  ADAMW_KERNEL_NAME,
  adamWCoefficients,
  type AdamWKernelAttributes,
} from './kernels/adamw-kernel.js';
export { GELU_GRADIENT_KERNEL_NAME, GELU_KERNEL_NAME } from './kernels/gelu-kernels.js';

/** What `activateNativeKernels` did; core copies it into BackendInfo and the run manifest. */
export interface NativeKernelStatus {
  active: boolean;
  /** Kernels now served by the addon (on the backend it was activated for). */
  kernels: string[];
  /** OpenBLAS threads in use. */
  threads?: number;
  /** OpenBLAS build string (`openblas_get_config`). */
  blas?: string;
  /** Why the native kernels are not active. */
  reason?: string;
}

/** Kernel name -> its native version (each defers to the original for cases it does not cover). */
const NATIVE_KERNELS: Record<string, NativeKernelFactory> = {
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

/**
 * The tfjs backends the kernels serve, each through its tensor memory: `wasm` in place on the
 * wasm heap (32-bit, at most 4 GiB in all), `cpu` (tfjs-backend-cpu) on each tensor's own
 * typed array (bounded by the machine's memory).
 */
const MEMORIES = { wasm: wasmHeapMemory, cpu: cpuTensorMemory } satisfies Record<
  string,
  TensorMemory
>;

export type NativeBackendName = keyof typeof MEMORIES;

export interface ActivationOptions {
  /** OpenBLAS threads (default: STEM_THREADS, else the cores available to this process). */
  threads?: number;
  /** The tfjs backend whose kernels to replace (default `wasm`). */
  backend?: NativeBackendName;
}

/** Per backend: the original kernels replaced, the kernels added, and the status reported. */
const activations = new Map<
  NativeBackendName,
  { replaced: KernelConfigLike[]; added: string[]; status: NativeKernelStatus }
>();

/**
 * Re-registers the hot kernels of the wasm backend (default) or of tfjs-backend-cpu with
 * OpenBLAS-backed versions that work on the tensors' memory in place. Call after the kernels
 * to replace are registered (importing the backend, plus any extra kernel such as wasm's
 * UnsortedSegmentSum). Idempotent per backend; never throws: without the addon it returns
 * `active: false` and the reason.
 *
 * Threads: `STEM_THREADS` caps OpenBLAS (default: the cores available to this process).
 */
export function activateNativeKernels(
  tf: TfKernelRegistry,
  options: ActivationOptions = {},
): NativeKernelStatus {
  return activateWithAddon(tf, loadAddon(), options);
}

/** `activateNativeKernels` with the addon given (tests hand in a missing one). */
export function activateWithAddon(
  tf: TfKernelRegistry,
  load: AddonLoad,
  options: ActivationOptions = {},
): NativeKernelStatus {
  const backend = options.backend ?? 'wasm';
  const memory: TensorMemory = MEMORIES[backend];
  const existing = activations.get(backend);
  if (existing) return existing.status;
  if (!load.addon) {
    return { active: false, kernels: [], reason: load.reason };
  }
  const addon = load.addon;
  addon.setThreads(options.threads ?? threadsFromEnvironment());
  const replaced: KernelConfigLike[] = [];
  for (const [kernelName, factory] of Object.entries(NATIVE_KERNELS)) {
    const original = tf.getKernel(kernelName, backend) as KernelConfigLike | undefined;
    if (!original) continue;
    tf.unregisterKernel(kernelName, backend);
    // Keep the original's setup/dispose: the fallback path calls its kernelFunc, which on wasm
    // needs the functions its setupFunc binds when the backend initialises.
    tf.registerKernel({
      ...original,
      kernelFunc: factory(addon, original.kernelFunc, memory),
    } as never);
    replaced.push(original);
  }
  // Kernels tfjs lacks, which core calls by name where the backend has them.
  const added: string[] = [];
  for (const [kernelName, kernelFunc] of [
    [ADAMW_KERNEL_NAME, adamWKernel(addon, memory)],
    [GELU_KERNEL_NAME, geluKernel(addon, memory)],
    [GELU_GRADIENT_KERNEL_NAME, geluGradientKernel(addon, memory)],
  ] as const) {
    if (!kernelFunc || tf.getKernel(kernelName, backend)) continue;
    tf.registerKernel({ kernelName, backendName: backend, kernelFunc } as never);
    added.push(kernelName);
  }
  const status: NativeKernelStatus = {
    active: true,
    kernels: [...replaced.map((k) => k.kernelName), ...added],
    threads: addon.threads(),
    blas: addon.blasConfig().trim(),
  };
  activations.set(backend, { replaced, added, status });
  return status;
}

/**
 * Puts the original kernels of `backend` (default `wasm`) back (tests; `--device wasm-plain`
 * in a process that had them).
 */
export function deactivateNativeKernels(
  tf: TfKernelRegistry,
  backend: NativeBackendName = 'wasm',
): void {
  const activation = activations.get(backend);
  if (!activation) return;
  for (const original of activation.replaced) {
    tf.unregisterKernel(original.kernelName, backend);
    tf.registerKernel(original as never);
  }
  for (const kernelName of activation.added) tf.unregisterKernel(kernelName, backend);
  activations.delete(backend);
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
