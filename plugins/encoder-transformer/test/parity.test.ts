import { expect, it } from 'vitest';
import { selectBackend } from '@stem/core';
import { parityWithPyTorch } from './support/parity-suite.js';

// wasm: the backend of machines without the native TensorFlow build (CI, these machines),
// with @stem/compute-native's OpenBLAS kernels where its addon is built (parity-wasm-plain: without).
parityWithPyTorch('wasm');

// STEM_REQUIRE_NATIVE=1 says the addon is built; STEM_NATIVE=0 (CI's second pass) still turns
// it off, and then this file checks the plain wasm path.
it('runs on the OpenBLAS kernels where CI requires them (STEM_REQUIRE_NATIVE=1), unless STEM_NATIVE=0', async () => {
  const { info } = await selectBackend('wasm');
  expect(info.nativeKernels).toBeDefined();
  // The values core's nativeDisabledByEnvironment reads as "off".
  if (/^(0|off|false|no)$/i.test(process.env.STEM_NATIVE ?? '')) {
    expect(info.nativeKernels).toMatchObject({ active: false, reason: 'STEM_NATIVE=0' });
  } else if (process.env.STEM_REQUIRE_NATIVE === '1') {
    expect(info.nativeKernels?.active).toBe(true);
  }
});
