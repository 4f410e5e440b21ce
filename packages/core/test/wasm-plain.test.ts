import { expect, it } from 'vitest';
import type * as tfNamespace from '@tensorflow/tfjs';
import { selectBackend } from '../src/compute/select-backend.js';
import {
  compareMatMulGradient,
  MAT_MUL_GRADIENT_CASES,
  TRANSPOSE_FLAGS,
} from './mat-mul-gradient-check.js';

// Its own file (own process): the backend is chosen once per process.
it('--device wasm-plain is the wasm backend without native kernels, and stays so', async () => {
  const { tf, info } = await selectBackend('wasm-plain');
  expect(info).toMatchObject({ requested: 'wasm-plain', device: 'wasm', backend: 'wasm' });
  expect(info.nativeKernels).toEqual({ active: false, kernels: [], reason: '--device wasm-plain' });
  expect(tf.getKernel('BatchMatMul', 'wasm')?.kernelFunc.name).toBe('batchMatMul');
  await expect(selectBackend('wasm-plain')).resolves.toMatchObject({ info });
  await expect(selectBackend('wasm')).rejects.toThrow(/already initialised/);
});

// Core's plain-wasm BatchMatMul gradient, whatever STEM_NATIVE says (native-kernels.test.ts
// checks the native one unless STEM_NATIVE=0).
for (const [aBase, bBase] of MAT_MUL_GRADIENT_CASES) {
  for (const [tA, tB] of TRANSPOSE_FLAGS) {
    it(`the plain-wasm BatchMatMul gradient equals one that avoids it: [${aBase}] x [${bBase}] tA=${tA} tB=${tB}`, async () => {
      const { tf } = (await selectBackend('wasm-plain')) as unknown as { tf: typeof tfNamespace };
      const { shapes, errorA, errorB } = compareMatMulGradient(tf, aBase, bBase, tA, tB);
      expect(shapes.da).toEqual(shapes.a);
      expect(shapes.db).toEqual(shapes.b);
      expect(errorA).toBeLessThan(1e-5);
      expect(errorB).toBeLessThan(1e-5);
    });
  }
}
