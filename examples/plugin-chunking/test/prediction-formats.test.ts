import type { Sentence } from '@stem/core';
import { describe, expect, it } from 'vitest';
import { chunksOf } from '../src/chunks-layer.js';
import { parseConll2000, conll2000ToSentence } from '../src/conll2000.js';
import {
  bracketFormat,
  chunkPredictionFormats,
  conll2000Format,
} from '../src/prediction-formats.js';
import registerHook from '../src/hooks/register.js';

const TEXT =
  'He PRP B-NP\nreckons VBZ B-VP\nthe DT B-NP\ncurrent JJ I-NP\ndeficit NN I-NP\n. . O\n\nOK UH B-INTJ\n\n';

describe('chunk prediction formats', () => {
  it('are declared on the task registration, conll2000 first (the default)', async () => {
    const declared: string[][] = [];
    const hook = await registerHook.call({} as never, {} as never);
    await hook.register({
      registerDataset: () => undefined,
      registerTask: (r: { predictionFormats?: { name: string }[] }) =>
        declared.push((r.predictionFormats ?? []).map((f) => f.name)),
    } as never);
    expect(declared).toEqual([['conll2000', 'chunk-brackets']]);
    expect(chunkPredictionFormats[0]).toBe(conll2000Format);
  });

  it('writes CoNLL-2000 columns that read back to the same words, POS and chunks', () => {
    const sentences = parseConll2000(TEXT, 'in.txt').map((s, i) => conll2000ToSentence(s, `s${i}`));
    const written = conll2000Format.write(sentences, { task: 'chunk', config: {} });
    expect(written).toBe(TEXT);
    const back = parseConll2000(written, 'out.txt').map((s, i) => conll2000ToSentence(s, `s${i}`));
    expect(back).toEqual(sentences);
  });

  it('writes _ for the POS of an input without tags, and brackets chunks', () => {
    const sentence: Sentence = {
      id: 'plain',
      words: ['Rates', 'fell', 'sharply', '.'],
      annotations: {
        chunks: [
          { start: 0, end: 1, label: 'NP' },
          { start: 1, end: 2, label: 'VP' },
          { start: 2, end: 3, label: 'ADVP' },
        ],
      },
    };
    expect(conll2000Format.write([sentence], { task: 'chunk', config: {} })).toBe(
      'Rates _ B-NP\nfell _ B-VP\nsharply _ B-ADVP\n. _ O\n\n',
    );
    expect(bracketFormat.write([sentence], { task: 'chunk', config: {} })).toBe(
      '[NP Rates] [VP fell] [ADVP sharply] .\n',
    );
    expect(chunksOf(sentence)).toHaveLength(3);
  });

  it('names the task and sentence when a sentence has no predicted chunks', () => {
    const bare: Sentence = { id: 'x', words: ['a'], annotations: {} };
    expect(() => conll2000Format.write([bare], { task: 'chunk', config: {} })).toThrow(
      'task chunk: sentence x has no predicted chunks',
    );
  });
});
