import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type TensorFlow, parseSafetensors, safetensors, serializeSafetensors } from '@stem/core';
import { seededSource, TransformerEncoder } from '../src/index.js';
import { testTf } from './support/backend.js';
import { fixtureDir, maxAbsDiff, reference } from './support/fixtures.js';

describe('Hugging Face checkpoints', () => {
  let tf: TensorFlow;
  const scratch = mkdtempSync(join(tmpdir(), 'stem-encoder-'));
  beforeAll(async () => {
    tf = await testTf();
  });
  afterAll(() => rmSync(scratch, { recursive: true, force: true }));

  function copyWithTensors(
    name: string,
    edit: (tensors: ReturnType<typeof parseSafetensors>['tensors']) => void,
  ): string {
    const directory = join(scratch, `${name}-${Math.random().toString(36).slice(2)}`);
    cpSync(fixtureDir(name), directory, { recursive: true });
    const { tensors } = parseSafetensors(readFileSync(join(directory, 'model.safetensors')));
    edit(tensors);
    writeFileSync(join(directory, 'model.safetensors'), serializeSafetensors(tensors));
    return directory;
  }

  it('names a mis-shaped tensor and both shapes', async () => {
    const directory = copyWithTensors('tiny-bert', (tensors) => {
      const name = 'bert.encoder.layer.1.attention.self.key.weight';
      tensors.set(name, { shape: [32, 16], data: new Float32Array(32 * 16) });
    });
    await expect(
      TransformerEncoder.load(tf, directory, seededSource(1), { safetensors }),
    ).rejects.toThrow(
      'tensor "bert.encoder.layer.1.attention.self.key.weight" has shape [32,16], expected [32,32]',
    );
  });

  it('names missing and unexpected tensors', async () => {
    const directory = copyWithTensors('tiny-bert', (tensors) => {
      tensors.delete('bert.encoder.layer.0.output.dense.bias');
      tensors.set('bert.encoder.layer.0.extra.weight', { shape: [2], data: new Float32Array(2) });
    });
    const error = await TransformerEncoder.load(tf, directory, seededSource(1), {
      safetensors,
    }).catch((e: unknown) => e as Error);
    expect(String(error)).toContain(
      'missing tensor "bert.encoder.layer.0.output.dense.bias" (expected shape [32])',
    );
    expect(String(error)).toContain('unexpected tensor "bert.encoder.layer.0.extra.weight"');
  });

  it.each(['tiny-bert', 'tiny-roberta'])(
    'saves %s to the same layout and reloads it unchanged',
    async (name) => {
      const encoder = await TransformerEncoder.load(tf, fixtureDir(name), seededSource(1), {
        safetensors,
      });
      const directory = join(scratch, `saved-${name}`);
      await encoder.save(directory);
      const reloaded = await TransformerEncoder.load(tf, directory, seededSource(1), {
        safetensors,
      });
      const ref = reference(name);
      const input = { ids: ref.inputIds, mask: ref.attentionMask };
      const a = tf.tidy(() => encoder.encodeSubwords(input).hidden.arraySync());
      const b = tf.tidy(() => reloaded.encodeSubwords(input).hidden.arraySync());
      expect(maxAbsDiff(a, b)).toBe(0);
      const original = JSON.parse(
        readFileSync(join(fixtureDir(name), 'config.json'), 'utf8'),
      ) as Record<string, unknown>;
      expect(JSON.parse(readFileSync(join(directory, 'config.json'), 'utf8'))).toEqual(original);
      encoder.dispose();
      reloaded.dispose();
    },
  );

  it('restores weights() through loadWeights and names a mismatch', async () => {
    const source = await TransformerEncoder.load(tf, fixtureDir('tiny-bert'), seededSource(1), {
      safetensors,
    });
    const target = await TransformerEncoder.load(tf, fixtureDir('tiny-bert'), seededSource(1), {
      safetensors,
      randomWeights: true,
    });
    const ref = reference('tiny-bert');
    const input = { ids: ref.inputIds, mask: ref.attentionMask };
    target.loadWeights(source.weights());
    const diff = maxAbsDiff(
      tf.tidy(() => target.encodeSubwords(input).hidden.arraySync()),
      ref.lastHidden,
    );
    expect(diff).toBeLessThan(1e-4);
    const wrong = { ...source.weights(), 'encoder.layer.0.output.dense.bias': tf.zeros([3]) };
    expect(() => target.loadWeights(wrong)).toThrow(
      'tensor "encoder.layer.0.output.dense.bias" has shape [3], expected [32]',
    );
    tf.dispose(wrong['encoder.layer.0.output.dense.bias']);
    source.dispose();
    target.dispose();
  });

  it('reads LayerNorm gamma/beta names of checkpoints converted from TF', async () => {
    const directory = copyWithTensors('tiny-bert', (tensors) => {
      for (const name of [...tensors.keys()]) {
        const renamed = name
          .replace(/LayerNorm\.weight$/, 'LayerNorm.gamma')
          .replace(/LayerNorm\.bias$/, 'LayerNorm.beta');
        if (renamed !== name) {
          tensors.set(renamed, tensors.get(name) as never);
          tensors.delete(name);
        }
      }
    });
    const encoder = await TransformerEncoder.load(tf, directory, seededSource(1), { safetensors });
    const ref = reference('tiny-bert');
    const hidden = tf.tidy(() =>
      encoder.encodeSubwords({ ids: ref.inputIds, mask: ref.attentionMask }).hidden.arraySync(),
    );
    expect(maxAbsDiff(hidden, ref.lastHidden)).toBeLessThan(1e-4);
    encoder.dispose();
  });
});
