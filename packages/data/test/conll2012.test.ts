import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readPropbankSource } from '../src/corpora/propbank-source.js';
import { DataFormatError } from '../src/errors.js';
import {
  conll2012ToSentence,
  parseConll2012,
  sentenceToConll2012,
  writeConll2012,
  type Conll2012File,
} from '../src/readers/conll2012.js';
import { treeToString } from '../src/trees/tree.js';
import { FIXTURES, PROPBANK_SOURCE } from './support.js';

const WSJ = join(
  FIXTURES,
  'conll2012/train/data/english/annotations/nw/wsj/00/wsj_0001.v4_gold_conll',
);

/** The parsed structure without source line numbers, which a rewrite legitimately changes. */
function withoutLines(file: Conll2012File): unknown {
  return JSON.parse(
    JSON.stringify(file.documents, (key, value: unknown) => (key === 'line' ? undefined : value)),
  );
}

const SKELETON = [
  'google/ewt/answers/00/x.xml   0   0   [WORD]   PRP   (TOP(S(NP*)   -   -   (ARG0*)',
  'google/ewt/answers/00/x.xml   0   1   [WORD]   VBP        (VP*   see   see.01   (V*)',
  'google/ewt/answers/00/x.xml   0   2   [WORD]   PRP      (NP*))))   -   -   (ARG1*)',
  '',
].join('\n');

describe('CoNLL-2012 reader', () => {
  it('reads words, POS, the tree, SRL frames and named entities of a gold_conll file', () => {
    const file = parseConll2012(readFileSync(WSJ, 'utf8'), WSJ);
    expect(file.layout).toBe('conll2012');
    expect(file.documents).toHaveLength(1);
    const [first, second] = file.documents[0]!.sentences.map((s) => conll2012ToSentence(s, WSJ));
    expect(first!.id).toBe('nw/wsj/00/wsj_0001/0/0');
    expect(first!.words.slice(0, 2)).toEqual(['Pierre', 'Vinken']);
    expect(treeToString(first!.annotations.con!)).toMatch(
      /^\(TOP \(S \(NP \(NP \(NNP Pierre\) \(NNP Vinken\)\)/,
    );
    expect(first!.annotations.ner).toEqual([
      { start: 0, end: 2, label: 'PERSON' },
      { start: 3, end: 6, label: 'DATE' },
      { start: 15, end: 17, label: 'DATE' },
    ]);
    expect(first!.annotations.srl).toEqual([
      {
        predicate: 8,
        lemma: 'join',
        roleset: 'join.01',
        arguments: [
          { start: 0, end: 7, role: 'ARG0' },
          { start: 7, end: 8, role: 'ARGM-MOD' },
          { start: 9, end: 11, role: 'ARG1' },
          { start: 11, end: 15, role: 'ARGM-PRD' },
          { start: 15, end: 17, role: 'ARGM-TMP' },
        ],
      },
    ]);
    // Two predicates in the second sentence: one column each, V dropped from the arguments.
    expect(
      second!.annotations.srl!.map((f) => [f.roleset, f.predicate, f.arguments.map((a) => a.role)]),
    ).toEqual([
      ['be.01', 2, ['ARG1', 'ARG2']],
      ['publish.01', 10, ['ARG0']],
    ]);
    expect(second!.annotations.ner).toContainEqual({ start: 9, end: 10, label: 'NORP' });
  });

  it('round-trips a gold_conll file through the writer', () => {
    const text = readFileSync(WSJ, 'utf8');
    const file = parseConll2012(text, WSJ);
    const again = parseConll2012(writeConll2012(file), 'rewritten');
    expect(withoutLines(again)).toEqual(withoutLines(file));
    expect(writeConll2012(again)).toBe(writeConll2012(file));
  });

  it('rebuilds the same layers from a Sentence', () => {
    const file = parseConll2012(readFileSync(WSJ, 'utf8'), WSJ);
    for (const s of file.documents[0]!.sentences) {
      const sentence = conll2012ToSentence(s);
      const rows = sentenceToConll2012(sentence, s.doc, s.part, s.index);
      const rebuilt = conll2012ToSentence(rows);
      expect(rebuilt.annotations.con).toEqual(sentence.annotations.con);
      expect(rebuilt.annotations.srl).toEqual(sentence.annotations.srl);
      expect(rebuilt.annotations.ner).toEqual(sentence.annotations.ner);
    }
  });

  it('fills the words of a skeleton from another source, checking the count', () => {
    const file = parseConll2012(SKELETON, 'x.gold_skel', { words: [['I', 'see', 'you']] });
    expect(file.layout).toBe('propbank');
    const sentence = conll2012ToSentence(file.documents[0]!.sentences[0]!);
    expect(sentence.words).toEqual(['I', 'see', 'you']);
    expect(sentence.annotations.srl).toEqual([
      {
        predicate: 1,
        lemma: 'see',
        roleset: 'see.01',
        arguments: [
          { start: 0, end: 1, role: 'ARG0' },
          { start: 2, end: 3, role: 'ARG1' },
        ],
      },
    ]);
    expect(() => parseConll2012(SKELETON, 'x.gold_skel', { words: [['I', 'see']] })).toThrow(
      /^x\.gold_skel:1: 2 words given for a sentence of 3 tokens/,
    );
  });

  it.each([
    [SKELETON.replace('(VP*', '(VP*)'), 3, 'closes nothing'],
    [SKELETON.replace('(ARG1*)', '(ARG1*'), 3, 'never closed'],
    [SKELETON.replace('   1   [WORD]', '   5   [WORD]'), 2, 'token number'],
    [SKELETON.replace('(NP*))))', '(NP*)))'), 3, 'open at the end'],
    [SKELETON.replace('   (V*)', ''), 2, 'columns'],
    [SKELETON.replace('(ARG0*)', '(ARG0(ARG1*)'), 1, 'bad SRL column 1 cell'],
  ])('reports malformed input as file:line (%#)', (text, line, problem) => {
    const parse = () => parseConll2012(text, 'bad.gold_skel');
    expect(parse).toThrow(DataFormatError);
    expect(parse).toThrow(new RegExp(`^bad\\.gold_skel:${line}: .*${problem}`));
  });

  it('reads every EWT skeleton of the PropBank mirror and round-trips each file', async () => {
    const source = await readPropbankSource(PROPBANK_SOURCE);
    expect(source.files).toHaveLength(1145);
    let sentences = 0;
    for (const { path, text } of source.files) {
      const file = parseConll2012(text, path);
      expect(file.layout).toBe('propbank');
      sentences += file.documents[0]!.sentences.length;
      expect(withoutLines(parseConll2012(writeConll2012(file), path))).toEqual(withoutLines(file));
    }
    expect(sentences).toBe(16579);
  });
});
