import * as tf from '@tensorflow/tfjs';
import type { NativeKernelInfo } from './backend-name.js';

/**
 * Finds @stem/compute-native (an optional dependency of core, not a plugin: it brings no
 * components, only faster kernels for the wasm backend core already chose) and lets it take
 * over the wasm kernels. Loaded by a dynamic import of a computed name so that core neither
 * needs it to build nor fails when an install left it out; its shape is checked here.
 */
interface ComputeNativeModule {
  activateNativeKernels(registry: typeof tf): NativeKernelInfo;
  deactivateNativeKernels(registry: typeof tf): void;
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
 * Activates the native kernels (before or after `setBackend('wasm')`: the replaced kernels keep
 * the originals' setup). Says once per process on stderr how to get them when they are missing.
 */
export async function enableNativeKernels(): Promise<NativeKernelInfo> {
  const module = await loadComputeNative();
  const info: NativeKernelInfo =
    typeof module === 'string'
      ? { active: false, kernels: [], reason: module }
      : module.activateNativeKernels(tf);
  if (!info.active)
    hintOnce(typeof module === 'string' ? FALLBACK_HINT : module.NATIVE_INSTALL_HINT, info);
  return info;
}

/** Says on stderr, once per process, how to get the native kernels and why they are off. */
export function hintOnce(hint: string, info: NativeKernelInfo): void {
  if (hinted) return;
  hinted = true;
  process.stderr.write(`stem: ${hint} (${info.reason ?? 'unknown reason'})\n`);
}

/** Puts the plain wasm kernels back (for `wasm-plain` after a native selection in tests). */
export async function disableNativeKernels(reason: string): Promise<NativeKernelInfo> {
  const module = await loadComputeNative();
  if (typeof module !== 'string') module.deactivateNativeKernels(tf);
  return { active: false, kernels: [], reason };
}
