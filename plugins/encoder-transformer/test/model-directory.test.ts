import { safetensors, type TensorFlow } from '@stem/core';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  describeModel,
  initModel,
  seededSource,
  TransformerEncoder,
  wordAttentionView,
} from '../src/index.js';
import { testTf } from './support/backend.js';
import { fixtureDir, maxAbsDiff, reference } from './support/fixtures.js';

const TEXT =
  'The cat sat on the mat .\nA dog ran far away quickly .\nThe quick brown fox jumped over the lazy dog .\n';
const CONLLU =
  '# sent_id = 1\n1\tDogs\tdog\tNOUN\t_\t_\t2\tnsubj\t_\t_\n2\tbark\tbark\tVERB\t_\t_\t0\troot\t_\t_\n\n';

describe('model directories', () => {
  let tf: TensorFlow;
  const scratch = mkdtempSync(join(tmpdir(), 'stem-model-'));
  beforeAll(async () => {
    tf = await testTf();
    mkdirSync(join(scratch, 'corpus'));
    writeFileSync(join(scratch, 'corpus', 'corpus.txt'), TEXT.repeat(5));
    writeFileSync(join(scratch, 'corpus', 'train.conllu'), CONLLU);
  });
  afterAll(() => rmSync(scratch, { recursive: true, force: true }));

  it.each(['bert', 'roberta', 'electra'] as const)(
    'initialises a random %s with a trained cased vocabulary in the HF layout',
    async (arch) => {
      const out = join(scratch, arch);
      // A folder (a built dataset) stands for every text/CoNLL file in it.
      const files =
        arch === 'electra'
          ? [join(scratch, 'corpus')]
          : [join(scratch, 'corpus', 'corpus.txt'), join(scratch, 'corpus', 'train.conllu')];
      const made = await initModel(tf, {
        arch,
        layers: 2,
        heads: 2,
        hidden: 16,
        maxPositions: 64,
        vocabFrom: files,
        vocabSize: 1000,
        out,
        seed: 1,
        safetensors,
      });
      const description = await describeModel(out);
      expect(description).toMatchObject({
        arch,
        layers: 2,
        heads: 2,
        totalHeads: 4,
        hiddenSize: 16,
        maxSequenceLength: 64,
        parameters: made.parameters,
      });
      expect(description.tokenizer.kind).toBe(arch === 'roberta' ? 'bpe' : 'wordpiece');
      const encoder = await TransformerEncoder.load(tf, out, seededSource(1), { safetensors });
      const batch = await encoder.tokenize([['The', 'Dogs', 'jumped']]);
      const tokens = batch.subwordIds[0]?.map((id) => encoder.tokenizer.idToToken(id));
      if (arch === 'roberta') expect(tokens).toEqual(['<s>', 'ĠThe', 'ĠDogs', 'Ġjumped', '</s>']);
      else expect(tokens).toEqual(['[CLS]', 'The', 'Dogs', 'jumped', '[SEP]']);
      tf.tidy(() => {
        expect(encoder.encode(batch, { training: false }).wordVectors.shape).toEqual([1, 3, 16]);
      });
      encoder.dispose();
    },
  );

  it('keeps the vocabulary within --vocab-size', async () => {
    const out = join(scratch, 'small-vocab');
    await initModel(tf, {
      arch: 'bert',
      layers: 1,
      heads: 1,
      hidden: 8,
      maxPositions: 16,
      vocabFrom: [join(scratch, 'corpus', 'corpus.txt')],
      vocabSize: 40,
      out,
      seed: 1,
      safetensors,
    });
    const vocab = readFileSync(join(out, 'vocab.txt'), 'utf8').trim().split('\n');
    expect(vocab.length).toBe(40);
    expect(vocab.slice(0, 5)).toEqual(['[PAD]', '[UNK]', '[CLS]', '[SEP]', '[MASK]']);
  });

  it('word attention view matches the PyTorch reference', async () => {
    const sentence = reference('tiny-bert').sentence;
    if (!sentence) throw new Error('regenerate the fixtures');
    const view = await wordAttentionView(tf, fixtureDir('tiny-bert'), sentence.words, {
      safetensors,
    });
    expect(view.units).toEqual(['<root>', ...sentence.words]);
    const matrices = [0, 1].map((l) =>
      view.heads.filter((h) => h.layer === l).map((h) => h.attention),
    );
    expect(maxAbsDiff(matrices, sentence.wordAttention)).toBeLessThan(1e-4);
    const one = await wordAttentionView(tf, fixtureDir('tiny-bert'), sentence.words, {
      layer: 1,
      head: 2,
      safetensors,
    });
    expect(one.heads.map((h) => [h.layer, h.head])).toEqual([[1, 2]]);
    await expect(
      wordAttentionView(tf, fixtureDir('tiny-bert'), sentence.words, { layer: 5, safetensors }),
    ).rejects.toThrow('layers 0..1');
  });
});

describe('word attention of a sentence longer than the position table', () => {
  it('goes through the sliding window', async () => {
    const tf = await testTf();
    const words = Array.from(
      { length: 40 },
      (_, i) => ['The', 'cat', 'sat', 'on', 'mat'][i % 5] as string,
    );
    const view = await wordAttentionView(tf, fixtureDir('tiny-bert'), words, {
      layer: 0,
      head: 0,
      safetensors,
    });
    const matrix = view.heads[0]?.attention ?? [];
    expect(matrix).toHaveLength(41);
    expect(matrix[20]?.every((value) => value >= 0 && value <= 1)).toBe(true);
  });
});
