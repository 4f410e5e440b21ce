import { expect, it } from 'vitest';
import { selectBackend } from '../src/compute/select-backend.js';

// Its own file (own process): the backend is chosen once per process.
it('--device native with STEM_NATIVE=0 is refused with the reason and what to use instead', async () => {
  process.env.STEM_NATIVE = '0';
  await expect(selectBackend('native')).rejects.toThrow(
    /--device native \(native: STEM_NATIVE=0 turns the native kernels off \(unset it, or use --device js\)\)/,
  );
  // The refusal left no backend chosen: another device still works in this process.
  const { info } = await selectBackend('js');
  expect(info.device).toBe('js');
  expect(info.nativeKernels).toBeUndefined();
});
