import { describe, expect, it } from 'vitest';
import {
  checkTaskHeadOnWasm,
  nativeKernelProblems,
  ToyTagger,
  syntheticTaggedSentences,
} from '../src/index.js';
import { hookFor } from './toy-task-hook.js';

// Its own file: core picks the backend (wasm here) once per process.
const toyHook = hookFor(ToyTagger);
const sentences = syntheticTaggedSentences(10, 4);
describe('checkTaskHeadOnWasm', () => {
  it('runs the conformance check on wasm', async () => {
    const report = await checkTaskHeadOnWasm({
      hook: toyHook,
      taskId: 'check.task.toy.v1',
      sentences,
    });
    expect(report.backend).toBe('wasm');
    expect(report.finalLoss).toBeLessThan(report.initialLoss);
  });

  it('judges the kernels that served it against the environment', () => {
    const native = { backend: 'wasm', nativeKernels: true };
    const plain = { backend: 'wasm', nativeKernels: false };
    expect(nativeKernelProblems(native, {})).toEqual([]);
    expect(nativeKernelProblems(plain, {})).toEqual([]);
    expect(nativeKernelProblems(plain, { STEM_REQUIRE_NATIVE: '1' })).toEqual([
      'STEM_REQUIRE_NATIVE=1 but the native kernels did not load',
    ]);
    expect(nativeKernelProblems(native, { STEM_NATIVE: '0' })).toEqual([
      'STEM_NATIVE=0 but the native kernels served the check',
    ]);
    // CI's second pass: both set, the switch-off wins.
    expect(nativeKernelProblems(plain, { STEM_NATIVE: '0', STEM_REQUIRE_NATIVE: '1' })).toEqual([]);
    expect(nativeKernelProblems({ backend: 'cpu', nativeKernels: false }, {})).toEqual([
      'ran on cpu, not wasm',
    ]);
  });
});
