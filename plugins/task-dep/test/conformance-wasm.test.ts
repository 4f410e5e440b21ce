import { checkTaskHeadOnWasm } from '@stem/testing';
import { describe, expect, it } from 'vitest';
import registerHook from '../src/hooks/register.js';

// The conformance check again on the backend users train on (wasm, native kernels where built);
// core picks a backend once per process, hence a file of its own.
describe('@stem/task-dep on the wasm backend', () => {
  it('trains, saves, loads and predicts the same', async () => {
    const report = await checkTaskHeadOnWasm({
      hook: registerHook,
      taskId: 'stem.task.dep.biaffine.v1',
      config: { arcMlp: 8, labelMlp: 4, dropout: 0.1 },
    });
    expect(report.finalLoss).toBeLessThan(report.initialLoss);
  });
});
