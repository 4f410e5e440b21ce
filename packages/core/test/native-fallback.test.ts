import { expect, it } from 'vitest';
import { selectBackend } from '../src/compute/select-backend.js';

// Its own file (own process): the backend is chosen once per process.
it('STEM_NATIVE=0 keeps the plain wasm kernels and says why', async () => {
  process.env.STEM_NATIVE = '0';
  const { tf, info } = await selectBackend('wasm');
  expect(info.device).toBe('wasm');
  expect(info.nativeKernels).toEqual({ active: false, kernels: [], reason: 'STEM_NATIVE=0' });
  // tfjs-backend-wasm's own kernel function, not a wrapper.
  expect(tf.getKernel('BatchMatMul', 'wasm')?.kernelFunc.name).toBe('batchMatMul');
  const product = tf.matMul(tf.ones([2, 3]), tf.ones([2, 3]), false, true);
  expect(Array.from(product.dataSync())).toEqual([3, 3, 3, 3]);
  product.dispose();
});
