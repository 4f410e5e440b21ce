import { expect, it } from 'vitest';
import { selectBackend } from '@stem/core';
import { parityWithPyTorch } from './support/parity-suite.js';

// wasm: the backend of machines without the native TensorFlow build (CI, these machines),
// with @stem/compute-native's OpenBLAS kernels where its addon is built (parity-wasm-plain: without).
parityWithPyTorch('wasm');

it('runs on the OpenBLAS kernels where CI requires them (STEM_REQUIRE_NATIVE=1)', async () => {
  const { info } = await selectBackend('wasm');
  expect(info.nativeKernels).toBeDefined();
  if (process.env.STEM_REQUIRE_NATIVE === '1') expect(info.nativeKernels?.active).toBe(true);
});
