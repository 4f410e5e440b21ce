import { cpSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { safetensors, SeededRandom, type TensorFlow } from '@stem/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { applyWordDropout, planWindows, seededSource, TransformerEncoder } from '../src/index.js';
import { testTf } from './support/backend.js';
import { fixtureDir, maxAbsDiff } from './support/fixtures.js';

describe('encode: tokens to word vectors', () => {
  let tf: TensorFlow;
  let bert: TransformerEncoder;
  beforeAll(async () => {
    tf = await testTf();
    bert = await TransformerEncoder.load(tf, fixtureDir('tiny-bert'), seededSource(1), {
      safetensors,
    });
  });
  afterAll(() => bert.dispose());

  it('tokenises pre-split words with cased WordPiece and records each word span', async () => {
    const batch = await bert.tokenize([['The', 'cats', 'jumped', 'far.']]);
    const tokens = batch.subwordIds[0]?.map((id) => bert.tokenizer.idToToken(id));
    expect(tokens).toEqual(['[CLS]', 'The', 'cat', '##s', 'jump', '##ed', 'far', '.', '[SEP]']);
    expect(batch.wordSpans[0]).toEqual([
      [1, 1],
      [2, 3],
      [4, 5],
      [6, 7],
    ]);
    expect(batch.wordCounts).toEqual([4]);
  });

  it('tokenises byte-level BPE words with a leading space, as HF does for split words', async () => {
    const roberta = await TransformerEncoder.load(tf, fixtureDir('tiny-roberta'), seededSource(1), {
      safetensors,
    });
    const batch = await roberta.tokenize([['The', 'cat', 'sat']]);
    const tokens = batch.subwordIds[0]?.map((id) => roberta.tokenizer.idToToken(id));
    expect(tokens).toEqual(['<s>', 'Ġ', 'The', 'Ġcat', 'Ġsat', '</s>']);
    roberta.dispose();
  });

  it('keeps only its outputs alive when called outside a tidy (evaluation, prediction)', async () => {
    const batch = await bert.tokenize([
      ['The', 'cats', 'jumped'],
      ['A', 'dog'],
    ]);
    const before = tf.memory().numTensors;
    const out = bert.encode(batch, {
      training: false,
      returnAttention: true,
      returnHeadContexts: true,
    });
    const outputs = Object.values(out).flat();
    expect(tf.memory().numTensors).toBe(before + outputs.length);
    tf.dispose(outputs);
    expect(tf.memory().numTensors).toBe(before);
  });

  it('pools sub-words by mean (default), first or last, and exposes [CLS] and the final [SEP]', async () => {
    const batch = await bert.tokenize([
      ['The', 'cats', 'jumped'],
      ['A', 'dog'],
    ]);
    tf.tidy(() => {
      const out = bert.encode(batch, { training: false });
      const states = bert
        .encodeSubwords({ ids: [batch.subwordIds[0] as number[]], mask: [[1, 1, 1, 1, 1, 1, 1]] })
        .hidden.arraySync()[0] as number[][];
      const words = out.wordVectors.arraySync();
      const mean = (rows: number[][]): number[] =>
        (rows[0] as number[]).map(
          (_, i) => rows.reduce((s, r) => s + (r[i] as number), 0) / rows.length,
        );
      expect(out.wordVectors.shape).toEqual([2, 3, 32]);
      expect(
        maxAbsDiff(words[0]?.[1] as number[], mean([states[2] as number[], states[3] as number[]])),
      ).toBeLessThan(1e-5);
      expect(out.wordMask.arraySync()).toEqual([
        [1, 1, 1],
        [1, 1, 0],
      ]);
      expect(maxAbsDiff(words[1]?.[2] as number[], new Array(32).fill(0))).toBe(0);
      expect(
        maxAbsDiff(out.rootVector.arraySync()[0] as number[], states[0] as number[]),
      ).toBeLessThan(1e-5);
      expect(
        maxAbsDiff(out.eosVector.arraySync()[0] as number[], states[6] as number[]),
      ).toBeLessThan(1e-5);
    });
    for (const pooling of ['first', 'last'] as const) {
      const encoder = new TransformerEncoder(
        tf,
        bert.architecture,
        bert.params,
        bert.tokenizer,
        fixtureDir('tiny-bert'),
        seededSource(1),
        { pooling, safetensors },
      );
      tf.tidy(() => {
        const states = bert
          .encodeSubwords({ ids: [batch.subwordIds[0] as number[]], mask: [[1, 1, 1, 1, 1, 1, 1]] })
          .hidden.arraySync()[0] as number[][];
        const word = encoder
          .encode(batch, { training: false })
          .wordVectors.arraySync()[0]?.[2] as number[];
        expect(maxAbsDiff(word, states[pooling === 'first' ? 4 : 5] as number[])).toBeLessThan(
          1e-5,
        );
      });
    }
  });

  it('word dropout masks only ordinary sub-words, reproducibly from the seed', () => {
    const ids = [[2, 10, 11, 12, 13, 3, 0, 0]];
    const specials = new Set([2, 3, 0]);
    const first = applyWordDropout(ids, 0.5, 4, specials, seededSource(5).next);
    const again = applyWordDropout(ids, 0.5, 4, specials, seededSource(5).next);
    expect(first).toEqual(again);
    const all = applyWordDropout(ids, 1, 4, specials, seededSource(5).next);
    expect(all).toEqual([[2, 4, 4, 4, 4, 3, 0, 0]]);
    expect(applyWordDropout(ids, 0, 4, specials, seededSource(5).next)).toBe(ids);
  });

  it('plans overlapping windows that cover every sub-word with context on both sides', () => {
    const sequence = [2, ...Array.from({ length: 50 }, (_, i) => 100 + i), 3];
    const plan = planWindows([sequence, [2, 7, 3]], 12, 0);
    expect(plan.length).toBe(52);
    const rows = plan.input.ids;
    const rowLength = rows[0]?.length as number;
    expect(rowLength).toBe(12);
    for (let t = 0; t < 52; t++) {
      const index = plan.gatherIndex?.[t] as number;
      expect(rows[Math.floor(index / rowLength)]?.[index % rowLength]).toBe(sequence[t]);
      const position = index % rowLength;
      if (t > 5 && t < 46) expect(position).toBeGreaterThanOrEqual(3);
    }
    const short = plan.gatherIndex?.[52] as number;
    expect(rows[Math.floor(short / rowLength)]?.slice(0, 3)).toEqual([2, 7, 3]);
  });

  it('encodes sentences longer than the position table through the sliding window', async () => {
    const long = Array.from(
      { length: 45 },
      (_, i) => ['The', 'cat', 'sat', 'on', 'mat'][i % 5] as string,
    );
    const batch = await bert.tokenize([long, ['A', 'dog']]);
    expect(batch.subwordIds[0]?.length).toBeGreaterThan(bert.shape.maxPositions);
    tf.tidy(() => {
      const out = bert.encode(batch, { training: false });
      expect(out.wordVectors.shape).toEqual([2, 45, 32]);
      expect(out.wordVectors.isNaN().any().arraySync()).toBe(0);
      // The short sentence is unaffected by its long neighbour.
      const alone = bert.encode(
        batch.subwordIds[1]
          ? {
              subwordIds: [batch.subwordIds[1]],
              wordSpans: [batch.wordSpans[1] ?? []],
              wordCounts: [2],
            }
          : batch,
        { training: false },
      );
      const pair = out.wordVectors.arraySync()[1]?.slice(0, 2) as number[][];
      expect(maxAbsDiff(pair, alone.wordVectors.arraySync()[0] as number[][])).toBeLessThan(1e-5);
    });
  });

  it('stitches attention and head contexts of windowed sentences back to sentence positions', async () => {
    const long = Array.from(
      { length: 45 },
      (_, i) => ['The', 'cat', 'sat', 'on', 'mat'][i % 5] as string,
    );
    const batch = await bert.tokenize([long, ['A', 'dog']]);
    const length = batch.subwordIds[0]?.length as number;
    tf.tidy(() => {
      const out = bert.encode(batch, {
        training: false,
        returnAttention: true,
        returnHeadContexts: true,
      });
      const attention = out.attention?.[1]?.arraySync() as number[][][][];
      expect(out.attention?.[1]?.shape).toEqual([2, 4, length, length]);
      expect(out.headContexts?.[0]?.shape).toEqual([2, 4, length, 8]);
      for (const row of attention[0]?.[2] ?? [])
        expect(row.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 5);
      // A query in the middle sees only its window: keys far away get 0.
      expect(attention[0]?.[0]?.[length - 2]?.[1]).toBe(0);
      const alone = bert.encode(
        {
          subwordIds: [batch.subwordIds[1] as number[]],
          wordSpans: [batch.wordSpans[1] ?? []],
          wordCounts: [2],
        },
        { training: false, returnAttention: true, returnHeadContexts: true },
      );
      const short = (attention[1]?.[3] ?? []).slice(0, 4).map((row) => row.slice(0, 4));
      expect(
        maxAbsDiff(short, alone.attention?.[1]?.arraySync()[0]?.[3] as number[][]),
      ).toBeLessThan(1e-5);
      const contexts = out.headContexts?.[0]?.arraySync()[1]?.[2]?.slice(0, 4) as number[][];
      expect(
        maxAbsDiff(contexts, alone.headContexts?.[0]?.arraySync()[0]?.[2] as number[][]),
      ).toBeLessThan(1e-5);
    });
  });

  it('replaces sub-words by [MASK] in training with the rate and stream of the call', async () => {
    // Hidden and attention dropout off, so word dropout is the only randomness in training.
    const directory = join(mkdtempSync(join(tmpdir(), 'stem-word-dropout-')), 'tiny-bert');
    cpSync(fixtureDir('tiny-bert'), directory, { recursive: true });
    const config = JSON.parse(readFileSync(join(directory, 'config.json'), 'utf8'));
    writeFileSync(
      join(directory, 'config.json'),
      JSON.stringify({ ...config, hidden_dropout_prob: 0, attention_probs_dropout_prob: 0 }),
    );
    const encoder = await TransformerEncoder.load(tf, directory, seededSource(1), {
      safetensors,
      wordDropout: 0.5,
    });
    const batch = await encoder.tokenize([['The', 'cat', 'sat', 'on', 'the', 'mat']]);
    const { cls, sep, pad, mask } = encoder.tokenizer.specials;
    const vectors = (tokens: typeof batch, options: Parameters<typeof encoder.encode>[1]) =>
      tf.tidy(() => encoder.encode(tokens, options).wordVectors.arraySync()[0] as number[][]);
    const evaluation = vectors(batch, { training: false });
    const maskedIds = new Set<string>();
    for (const seed of [4, 5, 6, 7]) {
      // The ids the encoder must have seen: the same draws from the same stream.
      const stream = new SeededRandom(seed);
      const ids = applyWordDropout(batch.subwordIds, 0.5, mask, new Set([cls, sep, pad]), () =>
        stream.next(),
      );
      maskedIds.add(JSON.stringify(ids));
      const trained = vectors(batch, { training: true, random: new SeededRandom(seed) });
      expect(
        maxAbsDiff(trained, vectors({ ...batch, subwordIds: ids }, { training: false })),
      ).toBeLessThan(1e-6);
      if (JSON.stringify(ids) !== JSON.stringify(batch.subwordIds))
        expect(maxAbsDiff(trained, evaluation)).toBeGreaterThan(1e-3);
    }
    // Four seeds, four different masks: the stream of the call decides, not the encoder's own.
    expect(maskedIds.size).toBe(4);
    // Outside training nothing is masked, whatever stream is passed.
    expect(
      maxAbsDiff(vectors(batch, { training: false, random: new SeededRandom(4) }), evaluation),
    ).toBe(0);
    encoder.dispose();
  });

  it('draws hidden dropout masks from the random stream passed with the call', async () => {
    // tiny-bert has hidden and attention dropout 0.1 and no word dropout.
    const batch = await bert.tokenize([['The', 'cat', 'sat', 'on', 'the', 'mat']]);
    const run = (seed: number): number[][] =>
      tf.tidy(
        () =>
          bert
            .encode(batch, { training: true, random: new SeededRandom(seed) })
            .wordVectors.arraySync()[0] as number[][],
      );
    expect(maxAbsDiff(run(4), run(4))).toBe(0);
    expect(maxAbsDiff(run(4), run(5))).toBeGreaterThan(0);
  });

  it('masks about `rate` of the ordinary sub-words', () => {
    const ids = [Array.from({ length: 20_000 }, (_, i) => 10 + (i % 50))];
    const stream = new SeededRandom(9);
    for (const rate of [0.1, 0.3]) {
      const masked = applyWordDropout(ids, rate, 4, new Set([0, 2, 3]), () => stream.next());
      const fraction = (masked[0] ?? []).filter((id) => id === 4).length / 20_000;
      // Binomial standard deviation at n = 20,000 is at most 0.0035: 5 of them.
      expect(Math.abs(fraction - rate)).toBeLessThan(0.018);
    }
  });
});
