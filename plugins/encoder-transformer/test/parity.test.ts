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
  const status = info.nativeKernels;
  // The values core's nativeDisabledByEnvironment reads as "off".
  if (/^(0|off|false|no)$/i.test(process.env.STEM_NATIVE ?? '')) {
    expect(status).toMatchObject({ active: false, reason: 'STEM_NATIVE=0', kernels: [] });
  } else if (process.env.STEM_REQUIRE_NATIVE === '1') {
    expect(status?.active).toBe(true);
  }
  // Either way the status says which: active with the kernels it serves and the BLAS behind
  // them, or inactive with the reason `stem info` prints.
  if (status?.active) {
    expect(status.kernels).toEqual(expect.arrayContaining(['BatchMatMul', '_FusedMatMul']));
    expect(status.blas).toMatch(/OpenBLAS/i);
  } else {
    expect(status?.kernels).toEqual([]);
    expect(status?.reason).toMatch(/\S/);
  }
});
