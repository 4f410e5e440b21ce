import { checkTaskHeadOnWasm } from '@stem/testing';
import { describe, expect, it } from 'vitest';
import registerHook from '../src/hooks/register.js';

// The conformance check again on the backend users train on (wasm, native kernels where built);
// core picks a backend once per process, hence a file of its own.
describe('the chunking example on the wasm backend', () => {
  it('trains, saves, loads and predicts the same', async () => {
    const report = await checkTaskHeadOnWasm({
      hook: registerHook,
      taskId: 'stem-community.task.chunk.v1',
      config: { dropout: 0.1 },
    });
    expect(report.finalLoss).toBeLessThan(report.initialLoss);
  });
});
