import { expect, it } from 'vitest';
import { selectBackend } from '../src/compute/select-backend.js';

// Its own file (own process): the backend is chosen once per process.
it('--device wasm-plain is the wasm backend without native kernels, and stays so', async () => {
  const { tf, info } = await selectBackend('wasm-plain');
  expect(info).toMatchObject({ requested: 'wasm-plain', device: 'wasm', backend: 'wasm' });
  expect(info.nativeKernels).toEqual({ active: false, kernels: [], reason: '--device wasm-plain' });
  expect(tf.getKernel('BatchMatMul', 'wasm')?.kernelFunc.name).toBe('batchMatMul');
  await expect(selectBackend('wasm-plain')).resolves.toMatchObject({ info });
  await expect(selectBackend('wasm')).rejects.toThrow(/already initialised/);
});
