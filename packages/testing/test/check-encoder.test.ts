import type { StemRegisterHook } from '@stem/core';
import { describe, expect, it } from 'vitest';
import { checkEncoder, ConformanceError, ToyEncoder } from '../src/index.js';

/** The toy encoder lacks what the contract asks of real encoders: the check must say so. */
const toyHook: StemRegisterHook = () => ({
  register(stem) {
    stem.registerEncoder({
      id: 'check.encoder.toy.v1',
      description: 'Toy encoder under conformance check.',
      configSchema: (z) => z.object({}),
      create: (_config, context) => new ToyEncoder(context.tf, context.random, { hiddenSize: 8 }),
    });
  },
});

describe('checkEncoder', () => {
  it('lists every contract gap of an encoder, not just the first', async () => {
    const error = await checkEncoder({
      hook: toyHook,
      encoderId: 'check.encoder.toy.v1',
      config: {},
      reloadConfig: () => ({}),
    }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ConformanceError);
    const problems = (error as ConformanceError).problems.join('\n');
    expect(problems).toMatch(/returnAttention gave 0 layers, expected 1/);
    expect(problems).toMatch(/returnHeadContexts gave 0 layers, expected 1/);
    expect(problems).toMatch(/save \/ reload failed: the toy encoder is for tests/);
    // It has no attention heads to gate: closing its one gate changes nothing.
    expect(problems).toMatch(
      /closing the gate of layer 1, head 1 leaves the word vectors unchanged: the encoder ignores headGates/,
    );
    // What the toy encoder does implement passes: shapes, masks, training.
    expect(problems).not.toMatch(/wordVectors has shape|wordMask|did not learn|tensor count grew/);
  });
});
