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
  if (native?.active)
    return `native kernels (OpenBLAS${native.threads ? `, ${native.threads} thread${native.threads === 1 ? '' : 's'}` : ''})`;
  return `plain wasm${native?.reason ? ` (no native kernels: ${native.reason})` : ''}`;
}
