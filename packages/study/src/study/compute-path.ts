import type { BackendInfo } from '@stem/core';

/**
 * The compute path in a few words, for progress lines and summaries: a user comparing run
 * times needs to know whether the native kernels ran (several times faster on CPU).
 */
export function computePath(backend: BackendInfo): string {
  if (backend.device === 'gpu') return 'GPU (tfjs-node-gpu)';
  if (backend.device === 'cpu') return 'native TensorFlow (tfjs-node)';
  if (backend.device === 'js') return 'plain JavaScript';
  const native = backend.nativeKernels;
  if (backend.device === 'native')
    return `native kernels on tfjs-backend-cpu (OpenBLAS${threadsOf(native)})`;
  if (native?.active) return `native kernels (OpenBLAS${threadsOf(native)})`;
  return `plain wasm${native?.reason ? ` (no native kernels: ${native.reason})` : ''}`;
}

function threadsOf(native: BackendInfo['nativeKernels']): string {
  const threads = native?.threads;
  return threads ? `, ${threads} thread${threads === 1 ? '' : 's'}` : '';
}
