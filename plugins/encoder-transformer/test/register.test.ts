import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import {
  ComponentRegistry,
  createRegistrationFacade,
  CORE_VERSION,
  SeededRandom,
  type Encoder,
  type StemRegisterHook,
  type Tensor2D,
} from '@stem/core';
import hook from '../src/hooks/register.js';
import { ENCODER_ID } from '../src/index.js';
import { testTf } from './support/backend.js';
import { fixtureDir } from './support/fixtures.js';

describe('stem:register hook', () => {
  it('registers the encoder with a config schema and builds it from a model directory', async () => {
    const tf = await testTf();
    const registry = new ComponentRegistry();
    const facade = createRegistrationFacade(
      registry,
      { name: '@stem/encoder-transformer', version: '0.1.0' },
      CORE_VERSION,
      tf,
    );
    await (await hook({ coreVersion: CORE_VERSION })).register(facade);
    const registered = registry.require('encoder', ENCODER_ID);
    const config = registered.schema.parse({
      type: ENCODER_ID,
      path: fixtureDir('tiny-bert'),
    }) as Record<string, unknown>;
    expect(config).toMatchObject({
      pooling: 'mean',
      wordDropout: 0.2,
      weights: 'pretrained',
      trainable: true,
    });
    expect(() => registered.schema.parse({ type: ENCODER_ID })).toThrow(
      'exactly one of `path` or `architecture`',
    );
    const { type: _type, ...fields } = config;
    const encoder = (await registered.registration.create(fields, {
      tf,
      random: new SeededRandom(1),
      container: undefined as never,
    })) as Encoder;
    expect(encoder.shape).toEqual({ layers: 2, heads: 4, hiddenSize: 32, maxPositions: 32 });
    encoder.dispose();
  });
});

describe('registration conformance (@stem/testing)', () => {
  it('passes the kit every plugin runs', async () => {
    const { checkRegistration } = await import('@stem/testing');
    const report = await checkRegistration({
      packageDirectory: fileURLToPath(new URL('..', import.meta.url)),
      hook,
    });
    expect(report.components.map((c) => c.id)).toEqual([ENCODER_ID]);
  });
});

describe('encoder conformance (@stem/testing)', () => {
  it('tokenises, encodes, trains, saves and reloads through its registration (BERT and RoBERTa fixtures)', async () => {
    const { checkEncoder } = await import('@stem/testing');
    const tf = await testTf();
    for (const fixture of ['tiny-bert', 'tiny-roberta']) {
      const report = await checkEncoder({
        hook,
        encoderId: ENCODER_ID,
        tf,
        config: { path: fixtureDir(fixture), wordDropout: 0.1 },
        reloadConfig: (path) => ({ path }),
      });
      expect(report.reloadDifference).toBeLessThan(1e-5);
    }
  });
});

describe('encoder conformance: head gates', () => {
  /** The real encoder, with its `headGates` dropped or moved to another layer. */
  const tamperedHook =
    (tamper: 'ignore' | 'shift'): StemRegisterHook =>
    async (options) => ({
      async register(stem) {
        const plugin = await hook(options);
        await plugin.register({
          ...stem,
          registerEncoder: (registration) =>
            stem.registerEncoder({
              ...registration,
              create: async (config, context) => {
                const encoder = await registration.create(config, context);
                const encode = encoder.encode.bind(encoder);
                encoder.encode = (batch, encodeOptions) => {
                  const { headGates, ...rest } = encodeOptions;
                  if (!headGates || tamper === 'ignore') return encode(batch, rest);
                  // Rolls the gates by one layer: the gates of layer l act on layer l + 1.
                  const shifted = context.tf.concat(
                    [headGates.slice([1, 0], [-1, -1]), headGates.slice([0, 0], [1, -1])],
                    0,
                  ) as Tensor2D;
                  return encode(batch, { ...rest, headGates: shifted });
                };
                return encoder;
              },
            }),
        });
      },
    });

  it('fails the kit when the encoder ignores headGates or gates the wrong layer', async () => {
    const { checkEncoder } = await import('@stem/testing');
    const tf = await testTf();
    const run = (tamper: 'ignore' | 'shift') =>
      checkEncoder({
        hook: tamperedHook(tamper),
        encoderId: ENCODER_ID,
        tf,
        config: { path: fixtureDir('tiny-bert') },
        reloadConfig: (path) => ({ path }),
        steps: 2,
      }).catch((error: unknown) => (error as { problems: string[] }).problems.join('\n'));
    expect(await run('ignore')).toMatch(
      /leaves the word vectors unchanged: the encoder ignores headGates/,
    );
    expect(await run('shift')).toMatch(
      /changes the context of layer \d+, head \d+ .*own head only/,
    );
  });
});
