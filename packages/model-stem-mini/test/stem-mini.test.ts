import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { readFile } from 'node:fs/promises';
import { safetensors, selectBackend, type TensorFlow } from '@stem/core';
import { conlluToSentence, parseConllu, udFile } from '@stem/data';
import {
  describeModel,
  seededSource,
  TransformerEncoder,
  wordAttentionView,
} from '@stem/encoder-transformer';
import { beforeAll, describe, expect, it } from 'vitest';
import { stemMiniDirectory } from '../index.js';

interface Reference {
  sentences: Array<{ ids: number[]; wordVectors: number[][]; lastLayerAttention: number[][][] }>;
}

const reference = JSON.parse(
  readFileSync(
    fileURLToPath(new URL('./fixtures/pytorch-reference.json', import.meta.url)),
    'utf8',
  ),
) as Reference;

function maxAbsDiff(a: number[][], b: number[][]): number {
  expect(a.length).toBe(b.length);
  expect(a.length).toBeGreaterThan(0);
  let worst = 0;
  a.forEach((row, i) => {
    expect(row.length).toBe(b[i]!.length);
    row.forEach((v, j) => (worst = Math.max(worst, Math.abs(v - b[i]![j]!))));
  });
  return worst;
}

describe('stem-mini', () => {
  let backend: TensorFlow;
  let ewtTest: string[][];

  beforeAll(async () => {
    backend = (await selectBackend((process.env['STEM_TEST_DEVICE'] ?? 'wasm') as 'wasm')).tf;
    const file = udFile('en_ewt', 'test');
    ewtTest = parseConllu(await readFile(file, 'utf8'), file).sentences.map(
      (s) => conlluToSentence(s).words,
    );
  });

  it('is a Hugging Face BERT directory of 4 layers x 8 heads with its cased WordPiece vocabulary', async () => {
    expect(stemMiniDirectory).toBe(join(fileURLToPath(new URL('..', import.meta.url)), 'model'));
    const described = await describeModel(stemMiniDirectory);
    expect(described).toMatchObject({
      arch: 'bert',
      layers: 4,
      heads: 8,
      totalHeads: 32,
      hiddenSize: 256,
      intermediateSize: 1024,
      vocabSize: 16000,
      tokenizer: { kind: 'wordpiece', vocabSize: 16000 },
    });
    // float16 on disk halves the size: 7.3M parameters in under 16 MB.
    const header = readFileSync(join(stemMiniDirectory, 'model.safetensors'));
    const length = Number(header.readBigUInt64LE(0));
    const entries = JSON.parse(header.subarray(8, 8 + length).toString('utf8')) as Record<
      string,
      { dtype?: string }
    >;
    const dtypes = new Set(
      Object.entries(entries)
        .filter(([k]) => k !== '__metadata__')
        .map(([, v]) => v.dtype),
    );
    expect([...dtypes]).toEqual(['F16']);
    expect(Object.keys(entries)).toContain('cls.predictions.bias');
  });

  it('loads like any Hugging Face directory and reproduces the PyTorch reference outputs', async () => {
    const encoder = await TransformerEncoder.load(backend, stemMiniDirectory, seededSource(0), {
      trainable: false,
      safetensors,
    });
    try {
      for (const [k, expected] of reference.sentences.entries()) {
        const batch = await encoder.tokenize([ewtTest[k]!]);
        // stem's tokenizer gives the ids the reference was computed on.
        expect(batch.subwordIds[0]).toEqual(expected.ids);
        const [words, attention] = backend.tidy(() => {
          const out = encoder.encode(batch, { training: false, returnAttention: true });
          return [
            (out.wordVectors.arraySync() as number[][][])[0]!,
            (out.attention!.at(-1)!.arraySync() as number[][][][])[0]!,
          ] as const;
        });
        expect(maxAbsDiff(words, expected.wordVectors)).toBeLessThan(1e-4);
        expected.lastLayerAttention.forEach((head, h) =>
          expect(maxAbsDiff(attention[h]!, head)).toBeLessThan(1e-5),
        );
      }
    } finally {
      encoder.dispose();
    }
  });

  it('shows word-level attention of every head (what `stem model attend` prints)', async () => {
    const view = await wordAttentionView(backend, stemMiniDirectory, ['The', 'cat', 'sat', '.'], {
      safetensors,
    });
    expect(view.heads).toHaveLength(32);
    for (const head of view.heads) {
      for (const row of head.attention) {
        const total = row.reduce((a, b) => a + b, 0);
        // Every query word spends at most all of its attention on ROOT + the words ([SEP] is left out).
        expect(total).toBeGreaterThan(0);
        expect(total).toBeLessThanOrEqual(1 + 1e-5);
      }
    }
  });
});
