import { checkTaskHead, tinyAnnotatedSentences } from '@stem/testing';
import { describe, expect, it } from 'vitest';
import registerHook from '../src/hooks/register.js';

// The conformance check again on the backend users train on: wasm, with the native kernels
// where the addon is built (CI's second pass turns them off: STEM_NATIVE=0). The other test
// files run tfjs's cpu kernels; core picks a backend once per process, hence a file of its own.
describe('the task example on the wasm backend', () => {
  it('trains, saves, loads and predicts the same', async () => {
    const report = await checkTaskHead({
      hook: registerHook,
      taskId: 'example.task.capitalisation.v1',
      config: {},
      sentences: tinyAnnotatedSentences(),
      steps: 20,
      backend: 'wasm',
    });
    expect(report.backend).toBe('wasm');
    if (process.env['STEM_NATIVE'] === '0') expect(report.nativeKernels).toBe(false);
    else if (process.env['STEM_REQUIRE_NATIVE'] === '1') expect(report.nativeKernels).toBe(true);
    expect(report.finalLoss).toBeLessThan(report.initialLoss);
  });
});
