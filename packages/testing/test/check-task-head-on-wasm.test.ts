import type { StemRegisterHook } from '@stem/core';
import { afterEach, describe, expect, it } from 'vitest';
import {
  checkTaskHeadOnWasm,
  ConformanceError,
  ToyTagger,
  syntheticTaggedSentences,
} from '../src/index.js';

// Its own file: core picks the backend (wasm here) once per process.
const toyHook: StemRegisterHook = () => ({
  register(stem) {
    stem.registerTask({
      id: 'check.task.toy.v1',
      description: 'Toy tagger under conformance check.',
      configSchema: (z) => z.object({}),
      create: (_config, input, context) =>
        new ToyTagger(
          context.tf,
          input.hiddenSize,
          input.labels?.tags ?? ToyTagger.tagsOf(input.trainingSentences),
          context.random,
        ),
    });
  },
});

const sentences = syntheticTaggedSentences(10, 4);
const saved = { native: process.env['STEM_NATIVE'], require: process.env['STEM_REQUIRE_NATIVE'] };

function restore(name: string, value: string | undefined): void {
  if (value === undefined) delete process.env[name];
  else process.env[name] = value;
}

describe('checkTaskHeadOnWasm', () => {
  afterEach(() => {
    restore('STEM_NATIVE', saved.native);
    restore('STEM_REQUIRE_NATIVE', saved.require);
  });

  it('runs the conformance check on wasm', async () => {
    const report = await checkTaskHeadOnWasm({
      hook: toyHook,
      taskId: 'check.task.toy.v1',
      sentences,
    });
    expect(report.backend).toBe('wasm');
    expect(report.finalLoss).toBeLessThan(report.initialLoss);
  });

  it('fails when the kernels that served it contradict the environment', async () => {
    // Plain wasm forced, yet native demanded: whatever this machine has, one of the two holds.
    process.env['STEM_NATIVE'] = '0';
    process.env['STEM_REQUIRE_NATIVE'] = '1';
    const failure = await checkTaskHeadOnWasm({
      hook: toyHook,
      taskId: 'check.task.toy.v1',
      sentences,
    }).catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(ConformanceError);
    expect((failure as ConformanceError).problems).toEqual([
      expect.stringMatching(
        /^STEM_(NATIVE=0 but the native kernels served|REQUIRE_NATIVE=1 but the native kernels did not load)/,
      ),
    ]);
  });
});
