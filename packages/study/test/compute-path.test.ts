import type { BackendInfo } from '@stem/core';
import { describe, expect, it } from 'vitest';
import { computePath } from '../src/study/compute-path.js';
import { StudyProgress } from '../src/study/study-progress.js';

const wasm = (nativeKernels: BackendInfo['nativeKernels']): BackendInfo => ({
  requested: 'auto',
  device: 'wasm',
  backend: 'wasm',
  package: '@tensorflow/tfjs-backend-wasm',
  tfjsVersion: '4.22.0',
  skipped: [],
  ...(nativeKernels ? { nativeKernels } : {}),
});

describe('the compute path in words', () => {
  it('names native kernels with their threads, and plain wasm with the reason', () => {
    expect(computePath(wasm({ active: true, kernels: ['BatchMatMul'], threads: 1 }))).toBe(
      'native kernels (OpenBLAS, 1 thread)',
    );
    expect(computePath(wasm({ active: true, kernels: [], threads: 2 }))).toBe(
      'native kernels (OpenBLAS, 2 threads)',
    );
    expect(computePath(wasm({ active: false, kernels: [], reason: 'STEM_NATIVE=0' }))).toBe(
      'plain wasm (no native kernels: STEM_NATIVE=0)',
    );
    expect(computePath({ ...wasm(undefined), device: 'gpu' })).toBe('GPU (tfjs-node-gpu)');
  });

  it('names the native kernels on tfjs-backend-cpu (device native) apart from wasm', () => {
    const native: BackendInfo = {
      ...wasm({ active: true, kernels: ['BatchMatMul'], threads: 2 }),
      device: 'native',
      backend: 'cpu',
      package: '@tensorflow/tfjs-backend-cpu',
    };
    expect(computePath(native)).toBe('native kernels on tfjs-backend-cpu (OpenBLAS, 2 threads)');
  });

  it('is shown in every study progress line', () => {
    const lines: string[] = [];
    const progress = new StudyProgress(
      3,
      new Map([['a', 10]]),
      (line) => lines.push(line),
      new Map(),
      20_000,
      () => 0,
      'plain wasm',
    );
    progress.start('a', 'runs/a (train)');
    expect(lines[0]).toMatch(/^study \[plain wasm\]: 0\/3 steps done · now runs\/a \(train\)/);
  });
});
