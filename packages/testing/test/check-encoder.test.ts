import type { Encoder, EncoderOutput, StemRegisterHook, TokenizedBatch } from '@stem/core';
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

/**
 * A toy encoder dressed up with 2 layers x 2 heads of attention and head contexts, wrong
 * only where the check must look beyond the first sentence and layer: layer 2 lets the
 * queries of one sentence attend to padding, layer 2's head contexts have another head size,
 * and the EOS vector is one feature short.
 */
class MisshapenEncoder extends ToyEncoder {
  override readonly shape = { layers: 2, heads: 2, hiddenSize: 8, maxPositions: 512 };
  override encode(batch: TokenizedBatch, options: Parameters<Encoder['encode']>[1]): EncoderOutput {
    const out = super.encode(batch, options);
    const tf = this.tfjs;
    const lengths = batch.subwordIds.map((ids) => ids.length);
    const longest = Math.max(...lengths);
    const attention = (leak: boolean) =>
      tf.tensor4d(
        lengths
          .flatMap((length) =>
            Array.from({ length: 2 * longest }, (_, hq) =>
              Array.from({ length: longest }, (_, k) => {
                const q = hq % longest;
                // The shortest sentence spreads its queries over all positions, padding included.
                if (leak && length === Math.min(...lengths) && q < length) return 1 / longest;
                return k < length ? 1 / length : 0;
              }),
            ).flat(),
          )
          .flat(),
        [lengths.length, 2, longest, longest],
      );
    const contexts = (size: number) => tf.zeros([lengths.length, 2, longest, size]);
    tf.dispose(out.eosVector);
    return {
      ...out,
      eosVector: tf.zeros([lengths.length, 7]),
      ...(options.returnAttention ? { attention: [attention(false), attention(true)] } : {}),
      ...(options.returnHeadContexts ? { headContexts: [contexts(4), contexts(3)] } : {}),
    } as EncoderOutput;
  }
  private get tfjs() {
    return (this as unknown as { tf: typeof import('@tensorflow/tfjs') }).tf;
  }
}

describe('checkEncoder', () => {
  it('checks attention of every sentence and layer, head context shapes and the EOS vector', async () => {
    const hook: StemRegisterHook = () => ({
      register(stem) {
        stem.registerEncoder({
          id: 'check.encoder.misshapen.v1',
          description: 'Encoder with contract gaps past the first sentence and layer.',
          configSchema: (z) => z.object({}),
          create: (_config, context) =>
            new MisshapenEncoder(context.tf, context.random, { hiddenSize: 8 }),
        });
      },
    });
    const error = await checkEncoder({
      hook,
      encoderId: 'check.encoder.misshapen.v1',
      config: {},
      reloadConfig: () => ({}),
    }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ConformanceError);
    const problems = (error as ConformanceError).problems.join('\n');
    expect(problems).toMatch(/eosVector has shape \[12, 7\], expected \[12, 8\]/);
    expect(problems).toMatch(
      /\d+ attention rows of real queries do not sum to 1 over the sentence's real sub-words .*first: layer 2, head 1, sentence \d+, query 0/,
    );
    expect(problems).not.toMatch(/layer 1, head 1, sentence/);
    expect(problems).toMatch(/head contexts have different head sizes across layers: 4, 3/);
    expect(problems).not.toMatch(/returnAttention gave|returnHeadContexts gave/);
  });

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
