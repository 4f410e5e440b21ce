import { existsSync, readdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import type { BackendInfo } from '@stem/core';

/** The two devices served by a native TensorFlow package (libtensorflow through N-API). */
export type NativeDevice = 'gpu' | 'cpu';

export const NATIVE_TENSORFLOW_PACKAGES: Record<NativeDevice, string> = {
  gpu: '@tensorflow/tfjs-node-gpu',
  cpu: '@tensorflow/tfjs-node',
};

/** Where libtensorflow comes from: the packages' build step downloads it from here. */
export const LIBTENSORFLOW_HOST = 'storage.googleapis.com';

/** What tfjs-node-gpu 4.x (libtensorflow 2.9.1) needs of the machine to see a GPU. */
export const CUDA_REQUIREMENT = 'an NVIDIA GPU with its driver, CUDA 11.2 and cuDNN 8';

/** A native package as found on disk, next to @stem/core (which lists it as optional). */
export type NativeInstall =
  { installed: false } | { installed: true; directory: string; binding: string | undefined };

/**
 * Resolves the package the way core's backend selection does (from @stem/core, whose
 * optional dependency it is) and looks for its compiled binding, which only its build step
 * (`stem backend install`) puts under `lib/`.
 */
export function findNativeInstall(packageName: string): NativeInstall {
  let directory: string;
  try {
    const fromCli = createRequire(import.meta.url);
    const fromCore = createRequire(fromCli.resolve('@stem/core/package.json'));
    directory = dirname(fromCore.resolve(`${packageName}/package.json`));
  } catch {
    return { installed: false };
  }
  const lib = join(directory, 'lib');
  const binding = existsSync(lib)
    ? readdirSync(lib, { recursive: true, encoding: 'utf8' }).find((entry) =>
        entry.endsWith('tfjs_binding.node'),
      )
    : undefined;
  return { installed: true, directory, binding: binding && join(lib, binding) };
}

export type NativeState =
  'in use' | 'not installed' | 'no native binding' | 'no CUDA GPU' | 'failed to load' | 'not tried';

/** One line of `stem info` per native package: where it stands and what would enable it. */
export interface NativeTensorflowStatus {
  package: string;
  device: NativeDevice;
  state: NativeState;
  /** Why, in words. */
  reason: string;
  /** What would make it usable (absent when in use). */
  enable?: string;
}

/**
 * Explains both native packages against the backend that was chosen. `inspect` is the seam
 * tests use to stand for machines this one is not (a built binding, a missing package).
 */
export function nativeTensorflowStatus(
  backend: Pick<BackendInfo, 'device' | 'requested' | 'skipped'>,
  inspect: (packageName: string) => NativeInstall = findNativeInstall,
): NativeTensorflowStatus[] {
  return (['gpu', 'cpu'] as const).map((device) => statusOf(device, backend, inspect));
}

function statusOf(
  device: NativeDevice,
  backend: Pick<BackendInfo, 'device' | 'requested' | 'skipped'>,
  inspect: (packageName: string) => NativeInstall,
): NativeTensorflowStatus {
  const name = NATIVE_TENSORFLOW_PACKAGES[device];
  const base = { package: name, device };
  const build = `\`stem backend install ${device}\` on a machine that reaches ${LIBTENSORFLOW_HOST}`;
  const gpuNeeds = device === 'gpu' ? `, with ${CUDA_REQUIREMENT}` : '';
  if (backend.device === device)
    return {
      ...base,
      state: 'in use',
      reason: device === 'gpu' ? 'in use: TensorFlow on the GPU' : 'in use: TensorFlow on the CPU',
    };
  const install = inspect(name);
  if (!install.installed)
    return {
      ...base,
      state: 'not installed',
      reason: `not installed (an optional dependency of @stem/core that this install left out)`,
      enable: `install with optional dependencies, then ${build}${gpuNeeds}`,
    };
  if (!install.binding)
    return {
      ...base,
      state: 'no native binding',
      reason:
        'installed without its native binding: its build step downloads libtensorflow, so the install skips it',
      enable: `${build}${gpuNeeds}`,
    };
  const skipped = backend.skipped.find((s) => s.device === device);
  if (skipped && device === 'gpu' && /no GPU/i.test(skipped.reason))
    return {
      ...base,
      state: 'no CUDA GPU',
      reason: 'built, but TensorFlow sees no CUDA GPU on this machine',
      enable: CUDA_REQUIREMENT,
    };
  if (skipped)
    return {
      ...base,
      state: 'failed to load',
      reason: `built, but it did not load: ${skipped.reason}`,
      enable: `rebuild it: ${build}`,
    };
  return {
    ...base,
    state: 'not tried',
    reason:
      backend.requested === 'auto'
        ? `built; not tried, ${backend.device} was chosen first`
        : `built; not tried under --device ${backend.requested}`,
    enable: `--device ${device}`,
  };
}

/** `stem info`'s line for one package. */
export function formatNativeStatus(status: NativeTensorflowStatus): string {
  const short = status.package.replace('@tensorflow/', '');
  return status.enable
    ? `${short}: ${status.reason}; to enable: ${status.enable}`
    : `${short}: ${status.reason}`;
}
