import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import * as tf from '@tensorflow/tfjs';
import { safetensors, type Sentence } from '@stem/core';
import { conlluToSentence, parseConllu, udFile } from '@stem/data';
import { TransformerEncoder, poolAttentionToWords, seededSource } from '@stem/encoder-transformer';
import { checkRegistration } from '@stem/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import registerHook from '../src/hooks/register.js';
import { ProbeAnalyzer } from '../src/probe-analyzer.js';
import { poolAttention } from '../src/pooling/word-attention.js';
import type { ProbeResult } from '../src/probes/probe-result.js';
import { runCentroidProbe } from '../src/probes/centroid-probe.js';

const packageDirectory = fileURLToPath(new URL('..', import.meta.url));
// The encoder plugin's parity fixture: a 2-layer, 4-head BERT with a WordPiece vocabulary.
const tinyBert = fileURLToPath(
  new URL('../../encoder-transformer/test/fixtures/tiny-bert', import.meta.url),
);

let encoder: TransformerEncoder;
let ewtDev: Sentence[];

beforeAll(async () => {
  await tf.setBackend('cpu');
  encoder = await TransformerEncoder.load(tf as never, tinyBert, seededSource(0), {
    trainable: false,
    safetensors,
  });
  const file = udFile('en_ewt', 'dev');
  ewtDev = parseConllu(await readFile(file, 'utf8'), file).sentences.map((s) =>
    conlluToSentence(s),
  );
});

afterAll(() => encoder?.dispose());

describe('with a real encoder', () => {
  it('pools a padded batch exactly as the encoder plugin pools one sentence', async () => {
    const sentences = [
      ['Unbelievably', ',', 'the', 'tokenizer', 'splits', 'everything', '.'],
      ['Short', 'one'],
      ewtDev[3]!.words,
    ];
    const tokens = await encoder.tokenize(sentences);
    expect(tokens.subwordIds.some((ids, b) => ids.length - 2 > sentences[b]!.length)).toBe(true);
    const output = encoder.encode(tokens, { training: false, returnAttention: true });
    for (const layer of output.attention!) {
      const pooled = tf.tidy(() => poolAttention(tf as never, layer, tokens).arraySync());
      const raw = layer.arraySync();
      sentences.forEach((words, b) => {
        const length = tokens.subwordIds[b]!.length;
        raw[b]!.forEach((matrix, h) => {
          // The plugin's view reads the sentence's own length x length block.
          const own = matrix.slice(0, length).flatMap((row) => row.slice(0, length));
          const expected = poolAttentionToWords(own, length, tokens.wordSpans[b]!);
          const actual = pooled[b]![h]!.slice(0, words.length + 1).map((row) =>
            row.slice(0, words.length + 1),
          );
          actual.forEach((row, q) =>
            row.forEach((value, k) =>
              expect(value, `sentence ${b} head ${h} unit ${q} -> ${k}`).toBeCloseTo(
                expected[q]![k]!,
                5,
              ),
            ),
          );
        });
      });
    }
    tf.dispose(Object.values(output).flat());
  });

  it.each([
    ['dep', 'stem.analyzer.probe.attention.v1'],
    ['pos', 'stem.analyzer.probe.centroid.v1'],
  ] as const)('streams %s over many batches with a flat tensor count', async (task, id) => {
    const counts: number[] = [];
    const analyzer = new ProbeAnalyzer(
      tf as never,
      {
        probe: id.includes('attention') ? 'attention' : 'centroid',
        task,
        split: 'dev',
        maxSentences: 2,
        maxSubwords: 400,
      } as never,
    );
    const before = tf.memory().numTensors;
    const sentences = ewtDev.slice(0, 24);
    const result: ProbeResult = await analyzer.analyze({
      encoder,
      heads: new Map(),
      sentences: new Map([['dev', sentences]]),
      outputDirectory: '',
      progress: () => counts.push(tf.memory().numTensors),
    });
    expect(tf.memory().numTensors).toBe(before);
    // At least 10 batches, and no tensor survives any of them.
    expect(counts.length).toBeGreaterThanOrEqual(10);
    // Between batches only the centroid probe's one centroid tensor (scoring pass) is alive.
    expect(Math.min(...counts)).toBe(before);
    expect(Math.max(...counts)).toBe(task === 'pos' ? before + 1 : before);
    expect(result.items).toBe(sentences.reduce((n, s) => n + s.words.length, 0));
    expect(result.weightedAccuracy).toHaveLength(2);
    expect(result.weightedAccuracy[0]).toHaveLength(4);
    for (const label of result.labels)
      expect(label.best.accuracy).toBe(Math.max(...label.accuracy.flat()));
  });

  it('agrees with a brute-force nearest-centroid classifier on real head contexts', async () => {
    const sentences = ewtDev.slice(10, 16);
    const result = await runCentroidProbe(tf as never, encoder, {
      task: 'pos',
      split: 'dev',
      sentences,
      limits: { maxSentences: 4, maxSubwords: 1000 },
    });
    // Brute force, one sentence at a time: word vector = mean of its sub-words' contexts.
    const { layers, heads } = encoder.shape;
    const items: Array<{ label: string; vectors: number[][][] }> = [];
    for (const sentence of sentences) {
      const tokens = await encoder.tokenize([sentence.words]);
      const output = encoder.encode(tokens, { training: false, returnHeadContexts: true });
      const contexts = output.headContexts!.map((layer) => layer.arraySync()[0]!);
      tf.dispose(Object.values(output).flat());
      tokens.wordSpans[0]!.forEach(([first, last], w) => {
        const vectors = contexts.map((layer) =>
          layer.map((rows) => {
            const sum = rows[first]!.map(() => 0);
            for (let s = first; s <= last; s++) rows[s]!.forEach((v, k) => (sum[k]! += v));
            return sum.map((v) => v / (last - first + 1));
          }),
        );
        items.push({ label: sentence.annotations.pos![w]!, vectors });
      });
    }
    const labels = [...new Set(items.map((i) => i.label))];
    const cosine = (a: number[], b: number[]) => {
      let dot = 0;
      let na = 0;
      let nb = 0;
      a.forEach((v, k) => ((dot += v * b[k]!), (na += v * v), (nb += b[k]! ** 2)));
      return dot / Math.sqrt(na * nb);
    };
    for (let l = 0; l < layers; l++)
      for (let h = 0; h < heads; h++) {
        const centroids = labels.map((label) => {
          const members = items.filter((i) => i.label === label).map((i) => i.vectors[l]![h]!);
          return members[0]!.map((_, k) => members.reduce((a, m) => a + m[k]!, 0) / members.length);
        });
        const correct = items.filter((item) => {
          const scores = centroids.map((c) => cosine(item.vectors[l]![h]!, c));
          return labels[scores.indexOf(Math.max(...scores))] === item.label;
        }).length;
        expect(result.weightedAccuracy[l]![h]).toBeCloseTo(correct / items.length, 6);
      }
  });

  it('passes the registration conformance checks', async () => {
    const report = await checkRegistration({ packageDirectory, hook: registerHook });
    expect(report.components.map((c) => c.id).sort()).toEqual([
      'stem.analyzer.probe.attention.v1',
      'stem.analyzer.probe.centroid.v1',
    ]);
  });
});
