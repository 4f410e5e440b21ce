import * as tf from '@tensorflow/tfjs';
import type { NativeKernelInfo } from './backend-name.js';

/**
 * Finds @stem/compute-native (an optional dependency of core, not a plugin: it brings no
 * components, only faster kernels for the backend core already chose) and lets it take over
 * the kernels of the wasm backend (`wasm`) or of tfjs-backend-cpu (`cpu`, device `native`).
 * Loaded by a dynamic import of a computed name so that core neither needs it to build nor
 * fails when an install left it out; its shape is checked here.
 */
export type NativeKernelBackend = 'wasm' | 'cpu';

interface ComputeNativeModule {
  activateNativeKernels(
    registry: typeof tf,
    options?: { backend?: NativeKernelBackend },
  ): NativeKernelInfo;
  deactivateNativeKernels(registry: typeof tf, backend?: NativeKernelBackend): void;
  NATIVE_INSTALL_HINT: string;
}

const PACKAGE = '@stem/compute-native';
const FALLBACK_HINT =
  'native CPU kernels are off: install OpenBLAS and a C++ toolchain (Debian/Ubuntu: apt-get install libopenblas-dev g++ make), then reinstall stem';

let hinted = false;

async function loadComputeNative(): Promise<ComputeNativeModule | string> {
  try {
    const specifier: string = PACKAGE;
    const loaded = (await import(specifier)) as Partial<ComputeNativeModule>;
    if (typeof loaded.activateNativeKernels !== 'function') return `${PACKAGE} has no kernels`;
    return loaded as ComputeNativeModule;
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    return `${PACKAGE} is not installed (${message.split('\n')[0]})`;
  }
}

/** STEM_NATIVE=0 (or off/false) forces plain wasm, like --device wasm-plain. */
export function nativeDisabledByEnvironment(): boolean {
  return ['0', 'off', 'false', 'no'].includes((process.env.STEM_NATIVE ?? '').toLowerCase());
}

/**
 * Activates the native kernels of `backend` (before or after `setBackend`: the replaced kernels
 * keep the originals' setup). On wasm, says once per process on stderr how to get them when
 * they are missing (wasm then runs plain); device `native` refuses to start instead
 * (`NATIVE_DEVICE_HINT`).
 */
export async function enableNativeKernels(
  backend: NativeKernelBackend = 'wasm',
): Promise<NativeKernelInfo> {
  const module = await loadComputeNative();
  const info: NativeKernelInfo =
    typeof module === 'string'
      ? { active: false, kernels: [], reason: module }
      : module.activateNativeKernels(tf, { backend });
  if (!info.active && backend === 'wasm')
    hintOnce(typeof module === 'string' ? FALLBACK_HINT : module.NATIVE_INSTALL_HINT, info);
  return info;
}

/** What `--device native` says when the kernels are unavailable. */
export const NATIVE_DEVICE_HINT =
  'install OpenBLAS and a C++ toolchain (Debian/Ubuntu: apt-get install libopenblas-dev g++ make) and rebuild the addon (pnpm --filter @stem/compute-native build:addon), or use --device wasm';

/** Says on stderr, once per process, how to get the native kernels and why they are off. */
export function hintOnce(hint: string, info: NativeKernelInfo): void {
  if (hinted) return;
  hinted = true;
  process.stderr.write(`stem: ${hint} (${info.reason ?? 'unknown reason'})\n`);
}

/** Puts the plain kernels back (for `wasm-plain` after a native selection in tests). */
export async function disableNativeKernels(
  reason: string,
  backend: NativeKernelBackend = 'wasm',
): Promise<NativeKernelInfo> {
  const module = await loadComputeNative();
  if (typeof module !== 'string') module.deactivateNativeKernels(tf, backend);
  return { active: false, kernels: [], reason };
}
