import { afterEach, expect, it, vi } from 'vitest';
import { hintOnce } from '../src/compute/native-kernels.js';

afterEach(() => vi.restoreAllMocks());

it('says how to get the native kernels once per process, with the reason', () => {
  const written: string[] = [];
  vi.spyOn(process.stderr, 'write').mockImplementation((chunk) => {
    written.push(String(chunk));
    return true;
  });
  const info = {
    active: false,
    kernels: [],
    reason: 'addon not built (OpenBLAS headers or library missing)',
  };
  hintOnce('install libopenblas-dev, then reinstall', info);
  hintOnce('install libopenblas-dev, then reinstall', info);
  expect(written).toEqual([
    'stem: install libopenblas-dev, then reinstall (addon not built (OpenBLAS headers or library missing))\n',
  ]);
});
