import { existsSync, readdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import * as tf from '@tensorflow/tfjs';
import type { TensorFlow } from '../contracts/tensorflow.js';
import type { BackendInfo, DeviceChoice, NativeKernelInfo } from './backend-name.js';
import { StemError } from '../errors.js';

const require = createRequire(import.meta.url);

type ConcreteDevice = BackendInfo['device'];

const AUTO_ORDER: ConcreteDevice[] = ['gpu', 'cpu', 'wasm', 'js'];

let selected: { info: BackendInfo; tf: TensorFlow } | undefined;
let wasmNativeKernels: NativeKernelInfo = { active: false, kernels: [] };
let cpuNativeKernels: NativeKernelInfo = { active: false, kernels: [] };

/**
 * Picks the fastest backend that loads: tfjs-node-gpu with a visible GPU, tfjs-node, wasm,
 * then pure JS. The native packages are optional dependencies whose install downloads
 * libtensorflow; where that failed, `require` throws and we fall through. The choice is
 * made once per process: every tensor of a run must live in the same engine. `native`
 * (tfjs-backend-cpu with the OpenBLAS kernels) is chosen only by name until measurement
 * decides the default (ARCHITECTURE.md).
 */
export async function selectBackend(
  requested: DeviceChoice = 'auto',
): Promise<{ info: BackendInfo; tf: TensorFlow }> {
  if (selected) {
    if (requested !== 'auto' && requested !== deviceAsSelected(selected.info)) {
      throw new StemError(
        `backend already initialised as "${selected.info.device}", cannot switch to "${requested}" in the same process`,
        'pass the same --device everywhere in one process',
      );
    }
    return selected;
  }
  const skipped: BackendInfo['skipped'] = [];
  const candidates = requested === 'auto' ? AUTO_ORDER : [requested];
  for (const device of candidates) {
    const reason = await tryDevice(device);
    if (reason === undefined) {
      const plainWasm = device === 'wasm-plain';
      selected = {
        tf,
        info: {
          requested,
          device: plainWasm ? 'wasm' : device,
          backend: tf.getBackend(),
          package: PACKAGE_OF[device],
          tfjsVersion: tf.version.tfjs,
          skipped,
          ...(device === 'wasm' || plainWasm ? { nativeKernels: wasmNativeKernels } : {}),
          ...(device === 'native' ? { nativeKernels: cpuNativeKernels } : {}),
        },
      };
      return selected;
    }
    skipped.push({ device, reason });
  }
  const details = skipped.map((s) => `${s.device}: ${s.reason}`).join('; ');
  throw new StemError(
    `no usable TensorFlow.js backend for --device ${requested} (${details})`,
    'use --device wasm or --device js, which need no native download',
  );
}

/** `--device wasm-plain` names the wasm device without native kernels. */
function deviceAsSelected(info: BackendInfo): ConcreteDevice {
  return info.device === 'wasm' &&
    info.nativeKernels?.active === false &&
    info.requested === 'wasm-plain'
    ? 'wasm-plain'
    : info.device;
}

const PACKAGE_OF: Record<ConcreteDevice, string> = {
  gpu: '@tensorflow/tfjs-node-gpu',
  cpu: '@tensorflow/tfjs-node',
  wasm: '@tensorflow/tfjs-backend-wasm',
  'wasm-plain': '@tensorflow/tfjs-backend-wasm',
  native: '@tensorflow/tfjs-backend-cpu',
  js: '@tensorflow/tfjs-backend-cpu',
};

/** Returns undefined on success, otherwise why the device is unusable. */
async function tryDevice(device: ConcreteDevice): Promise<string | undefined> {
  try {
    switch (device) {
      case 'gpu': {
        const missing = missingNativeAddon('@tensorflow/tfjs-node-gpu');
        if (missing) return missing;
        require('@tensorflow/tfjs-node-gpu');
        if (!(await tf.setBackend('tensorflow'))) return 'tensorflow backend did not initialise';
        if (!nativeSeesGpu()) return 'tfjs-node-gpu loaded but sees no GPU';
        return undefined;
      }
      case 'cpu': {
        const missing = missingNativeAddon('@tensorflow/tfjs-node');
        if (missing) return missing;
        require('@tensorflow/tfjs-node');
        return (await tf.setBackend('tensorflow'))
          ? undefined
          : 'tensorflow backend did not initialise';
      }
      case 'wasm':
      case 'wasm-plain': {
        await import('@tensorflow/tfjs-backend-wasm');
        const extras = await import('./wasm-extras.js');
        const native = await import('./native-kernels.js');
        // Extra kernels first: the native package then also takes over their UnsortedSegmentSum.
        extras.registerWasmKernelExtras();
        if (device === 'wasm-plain') {
          wasmNativeKernels = { active: false, kernels: [], reason: '--device wasm-plain' };
        } else if (native.nativeDisabledByEnvironment()) {
          wasmNativeKernels = { active: false, kernels: [], reason: 'STEM_NATIVE=0' };
        } else {
          wasmNativeKernels = await native.enableNativeKernels();
        }
        extras.registerMatMulGradient(wasmNativeKernels.active ? 'flags' : 'transposing');
        if (await tf.setBackend('wasm')) return undefined;
        if (wasmNativeKernels.active)
          wasmNativeKernels = await native.disableNativeKernels('wasm backend did not initialise');
        return 'wasm backend did not initialise';
      }
      case 'native': {
        // tfjs-backend-cpu keeps every tensor as its own typed array, so the addon works on
        // them in place without wasm's 32-bit heap. Without the kernels this device is plain
        // JS, several times slower: refused, with the reason, rather than run silently slow.
        const native = await import('./native-kernels.js');
        if (native.nativeDisabledByEnvironment())
          return `STEM_NATIVE=0 turns the native kernels off (unset it, or use --device js)`;
        cpuNativeKernels = await native.enableNativeKernels('cpu');
        if (!cpuNativeKernels.active)
          return `native kernels unavailable: ${cpuNativeKernels.reason ?? 'unknown reason'} (${native.NATIVE_DEVICE_HINT})`;
        const extras = await import('./wasm-extras.js');
        extras.registerMatMulGradient('flags');
        if (await tf.setBackend('cpu')) {
          // tfjs-backend-cpu greets its first tensor in Node with "install tfjs-node to speed
          // things up": wrong advice on this device, whose kernels are the native ones.
          (tf.backend() as { firstUse?: boolean }).firstUse = false;
          return undefined;
        }
        cpuNativeKernels = await native.disableNativeKernels(
          'cpu backend did not initialise',
          'cpu',
        );
        return 'cpu backend did not initialise';
      }
      case 'js': {
        if (cpuNativeKernels.active) {
          // A test process that selected `native` before: plain tfjs-backend-cpu again.
          const native = await import('./native-kernels.js');
          cpuNativeKernels = await native.disableNativeKernels('--device js', 'cpu');
        }
        return (await tf.setBackend('cpu')) ? undefined : 'cpu backend did not initialise';
      }
    }
  } catch (error) {
    return firstLine(error);
  }
}

/**
 * Checks for the compiled binding before requiring a native package: requiring one whose
 * install step failed registers its kernels and only then throws, which floods stderr with
 * "kernel already registered" warnings when the next native package is tried.
 */
function missingNativeAddon(packageName: string): string | undefined {
  let packageDirectory: string;
  try {
    packageDirectory = dirname(require.resolve(`${packageName}/package.json`));
  } catch {
    return `${packageName} is not installed`;
  }
  const libDirectory = join(packageDirectory, 'lib');
  const hasBinding =
    existsSync(libDirectory) &&
    readdirSync(libDirectory, { recursive: true, encoding: 'utf8' }).some((entry) =>
      entry.endsWith('tfjs_binding.node'),
    );
  return hasBinding
    ? undefined
    : `${packageName} is installed without its native addon (its build step downloads libtensorflow and is skipped at install; stem backend install gpu|cpu runs it)`;
}

function nativeSeesGpu(): boolean {
  // tfjs-node-gpu exposes no device list; a GPU build registers the GPU kernels under the
  // same 'tensorflow' backend, so we ask the binding whether CUDA is in use.
  const backend = tf.backend() as unknown as { binding?: { isUsingGpuDevice?: () => boolean } };
  return backend.binding?.isUsingGpuDevice?.() ?? false;
}

function firstLine(error: unknown): string {
  const text = error instanceof Error ? error.message : String(error);
  return text.split('\n')[0]?.slice(0, 200) ?? 'unknown error';
}

/** For tests: forget the selection (the engine keeps its registered backends). */
export function resetBackendSelectionForTests(): void {
  selected = undefined;
}
