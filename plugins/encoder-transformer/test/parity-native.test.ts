import { selectBackend } from '@stem/core';
import { skipUnless } from '@stem/testing/requirements';
import { it } from 'vitest';
import { parityWithPyTorch } from './support/parity-suite.js';

// tfjs-backend-cpu's tensors with @stem/compute-native's OpenBLAS kernels (`--device native`).
// This file tests that device itself, so it runs wherever the addon is built, whatever STEM_NATIVE
// says (CI's second pass sets STEM_NATIVE=0 for the rest of the suite). Without the addon the
// device is refused: the suite is then skipped with the reason, unless CI requires it.
delete process.env['STEM_NATIVE'];
const refusal = await selectBackend('native').then(
  () => undefined,
  (error: unknown) => (error instanceof Error ? error.message : String(error)),
);
if (refusal !== undefined && process.env['STEM_REQUIRE_NATIVE'] === '1')
  throw new Error(`STEM_REQUIRE_NATIVE=1 but --device native is refused: ${refusal}`);
if (refusal === undefined) parityWithPyTorch('native');
else
  it.skipIf(skipUnless(false, `--device native is refused here: ${refusal}`))(
    'parity with PyTorch on native',
    () => {},
  );
