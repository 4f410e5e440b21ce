import { beforeAll, expect, it } from 'vitest';
import { activateWithAddon, deactivateNativeKernels } from '../src/index.js';
import { tf, wasmEngine } from './kernel-engine.js';

beforeAll(async () => {
  await wasmEngine();
});

it('without the addon, activation reports why and leaves every wasm kernel as it was', () => {
  deactivateNativeKernels(tf);
  const before = tf.getKernel('BatchMatMul', 'wasm')?.kernelFunc;
  const status = activateWithAddon(tf, {
    reason: 'addon not built (OpenBLAS headers or library missing)',
  });
  expect(status).toEqual({
    active: false,
    kernels: [],
    reason: 'addon not built (OpenBLAS headers or library missing)',
  });
  expect(tf.getKernel('BatchMatMul', 'wasm')?.kernelFunc).toBe(before);
  const product = tf.matMul(tf.ones([2, 3]), tf.ones([2, 3]), false, true);
  expect(Array.from(product.dataSync())).toEqual([3, 3, 3, 3]);
  product.dispose();
});
