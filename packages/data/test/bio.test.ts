import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { DataFormatError } from '../src/errors.js';
import { gumNamedEntities } from '../src/ner/gum-entities.js';
import {
  bioToSentence,
  bioToSpans,
  parseBio,
  sentenceToBio,
  spansToBio,
  writeBio,
} from '../src/readers/bio.js';
import { parseConllu } from '../src/readers/conllu.js';
import { GUM_DEV } from './support.js';

describe('BIO / IOB2 reader', () => {
  it('reads CoNLL-2003-style columns, skipping -DOCSTART-, and gives flat spans', () => {
    const text =
      '-DOCSTART- -X- O O\n\nEU NNP B-ORG\nrejects VBZ O\nGerman JJ B-MISC\ncall NN O\n\nPeter\tB-PER\nBlackburn\tI-PER\n';
    const sentences = parseBio(text, 'c.bio');
    expect(sentences).toHaveLength(2);
    expect(sentences[0]!.tokens[0]).toMatchObject({
      word: 'EU',
      middle: ['NNP'],
      tag: 'B-ORG',
      line: 3,
    });
    expect(bioToSentence(sentences[1]!, 's2').annotations.ner).toEqual([
      { start: 0, end: 2, label: 'PER' },
    ]);
    expect(
      parseBio(writeBio(sentences)).map((s) =>
        s.tokens.map(({ word, tag, middle }) => ({ word, tag, middle })),
      ),
    ).toEqual(
      sentences.map((s) => s.tokens.map(({ word, tag, middle }) => ({ word, tag, middle }))),
    );
  });

  it('rejects an I- tag that continues nothing under IOB2 but accepts it under IOB1', () => {
    expect(() => parseBio('a O\nb I-PER\n', 'x.bio')).toThrow(/^x\.bio:2: I-PER does not continue/);
    expect(bioToSpans(['I-PER', 'I-PER', 'B-PER', 'O', 'I-LOC'], { scheme: 'iob1' })).toEqual([
      { start: 0, end: 2, label: 'PER' },
      { start: 2, end: 3, label: 'PER' },
      { start: 4, end: 5, label: 'LOC' },
    ]);
    expect(() => parseBio('a X-PER\n', 'x.bio')).toThrow(DataFormatError);
    expect(() => parseBio('lonely\n', 'x.bio')).toThrow(/^x\.bio:1: expected a word and a tag/);
  });

  it('round-trips the GUM dev named entities through BIO files', () => {
    const gum = parseConllu(readFileSync(GUM_DEV, 'utf8'), GUM_DEV).sentences;
    const sentences = gum.map((s) => ({
      id: s.id!,
      words: s.words.map((w) => w.form),
      annotations: { ner: gumNamedEntities(s, GUM_DEV) },
    }));
    const text = writeBio(sentences.map(sentenceToBio));
    const back = parseBio(text, 'gum.bio').map((s, k) => bioToSentence(s, sentences[k]!.id));
    expect(back).toEqual(sentences);
    expect(spansToBio([{ start: 1, end: 3, label: 'X' }], 4)).toEqual(['O', 'B-X', 'I-X', 'O']);
  });
});
