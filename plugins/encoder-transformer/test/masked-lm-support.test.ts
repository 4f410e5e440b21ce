import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseSafetensors, safetensors, type TensorFlow } from '@stem/core';
import { seededSource, TransformerEncoder } from '../src/index.js';
import { testTf } from './support/backend.js';
import { fixtureDir, maxAbsDiff } from './support/fixtures.js';

/** What a masked-LM head needs from the encoder: sub-word states, the embedding matrix, ids. */
describe('masked-LM support', () => {
  let tf: TensorFlow;
  let bert: TransformerEncoder;
  const scratch = mkdtempSync(join(tmpdir(), 'stem-encoder-mlm-'));
  beforeAll(async () => {
    tf = await testTf();
    bert = await TransformerEncoder.load(tf, fixtureDir('tiny-bert'), seededSource(1), {
      safetensors,
    });
  });
  afterAll(() => {
    bert.dispose();
    rmSync(scratch, { recursive: true, force: true });
  });

  it('returns the last layer’s sub-word states before pooling, row by row', async () => {
    const batch = await bert.tokenize([
      ['The', 'cat', 'sat', 'on', 'the', 'mat', '.'],
      ['Dogs', 'bark'],
    ]);
    const states = tf.tidy(() =>
      bert.encode(batch, { training: false, returnSubwordStates: true }).subwordStates?.arraySync(),
    ) as number[][][];
    expect(states).toHaveLength(2);
    expect(states[0]).toHaveLength(batch.subwordIds[0]?.length as number);
    batch.subwordIds.forEach((ids, b) => {
      const alone = tf.tidy(
        () => bert.encodeSubwords({ ids: [ids], mask: [ids.map(() => 1)] }).hidden.arraySync()[0],
      ) as number[][];
      expect(maxAbsDiff((states[b] as number[][]).slice(0, ids.length), alone)).toBeLessThan(1e-5);
    });
    tf.tidy(() => {
      expect(bert.encode(batch, { training: false }).subwordStates).toBeUndefined();
    });
  });

  it('exposes the word-embedding variable itself and the special ids of its vocabulary', () => {
    const embeddings = bert.inputEmbeddings();
    expect(bert.trainableVariables()).toContain(embeddings);
    expect(embeddings.shape).toEqual([
      bert.architecture.vocabSize,
      bert.architecture.embeddingSize,
    ]);
    const vocabulary = bert.vocabulary();
    expect(vocabulary.size).toBe(bert.tokenizer.vocabSize);
    expect(
      Object.fromEntries(
        Object.entries(vocabulary.specials).map(([k, id]) => [k, bert.tokenizer.idToToken(id)]),
      ),
    ).toEqual({ cls: '[CLS]', sep: '[SEP]', pad: '[PAD]', mask: '[MASK]', unk: '[UNK]' });
  });

  it('saves float16 weights (half the size) with head tensors beside them, and reloads them', async () => {
    const full = join(scratch, 'f32');
    const half = join(scratch, 'f16');
    await bert.save(full);
    const bias = tf.tensor1d([0.5, -0.25, 1]);
    await bert.save(half, { dtype: 'float16', extraTensors: { 'cls.predictions.bias': bias } });
    bias.dispose();
    const stored = parseSafetensors(readFileSync(join(half, 'model.safetensors'))).tensors;
    expect(Array.from(stored.get('cls.predictions.bias')?.data ?? [])).toEqual([0.5, -0.25, 1]);
    const header = readFileSync(join(half, 'model.safetensors')).subarray(8, 400).toString();
    expect(header).toContain('"dtype":"F16"');
    const ratio =
      statSync(join(half, 'model.safetensors')).size /
      statSync(join(full, 'model.safetensors')).size;
    expect(ratio).toBeGreaterThan(0.45);
    expect(ratio).toBeLessThan(0.55);
    // The head tensor is ignored by the encoder; float16 weights change outputs only slightly.
    const reloaded = await TransformerEncoder.load(tf, half, seededSource(1), { safetensors });
    const input = { ids: [[2, 40, 41, 42, 3]], mask: [[1, 1, 1, 1, 1]] };
    const [a, b] = [bert, reloaded].map((encoder) =>
      tf.tidy(() => encoder.encodeSubwords(input).hidden.arraySync()),
    );
    const difference = maxAbsDiff(a as number[][][], b as number[][][]);
    expect(difference).toBeGreaterThan(0);
    expect(difference).toBeLessThan(1e-2);
    reloaded.dispose();
    const clash = tf.zeros([2]);
    await expect(
      bert.save(join(scratch, 'clash'), { extraTensors: { 'embeddings.LayerNorm.bias': clash } }),
    ).rejects.toThrow('extra tensor "embeddings.LayerNorm.bias" would overwrite');
    clash.dispose();
  });
});
