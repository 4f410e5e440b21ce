import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { udFile } from '../src/corpora/ud-files.js';
import { DataFormatError } from '../src/errors.js';
import {
  conlluToSentence,
  parseConllu,
  sentenceToConllu,
  writeConllu,
} from '../src/readers/conllu.js';
import { EWT_DEV } from './support.js';

const SAMPLE = [
  '# sent_id = s1',
  "# text = I can't go.",
  '1\tI\tI\tPRON\tPRP\t_\t4\tnsubj\t_\t_',
  "2-3\tcan't\t_\t_\t_\t_\t_\t_\t_\t_",
  '2\tca\tcan\tAUX\tMD\t_\t4\taux\t_\t_',
  "3\tn't\tnot\tPART\tRB\t_\t4\tadvmod\t_\t_",
  '4\tgo\tgo\tVERB\tVB\t_\t0\troot\t_\t_',
  '4.1\tgo\t_\t_\t_\t_\t_\t_\t4:conj\t_',
  '5\t.\t.\tPUNCT\t.\t_\t4\tpunct\t_\t_',
  '',
  '',
].join('\n');

describe('CoNLL-U reader', () => {
  it('keeps sentence ids, skips multi-word token and empty-node lines as words, and counts empty nodes', () => {
    const doc = parseConllu(SAMPLE, 'sample.conllu');
    expect(doc.sentences).toHaveLength(1);
    const [s] = doc.sentences;
    expect(s!.id).toBe('s1');
    expect(s!.words.map((w) => w.form)).toEqual(['I', 'ca', "n't", 'go', '.']);
    expect(s!.multiwords).toHaveLength(1);
    expect(doc.emptyNodeCount).toBe(1);
    const sentence = conlluToSentence(s!);
    expect(sentence.annotations.pos).toEqual(['PRP', 'MD', 'RB', 'VB', '.']);
    expect(sentence.annotations.dep).toEqual({
      heads: [4, 4, 4, 0, 4],
      relations: ['nsubj', 'aux', 'advmod', 'root', 'punct'],
    });
  });

  it('writes the sample back byte for byte', () => {
    expect(writeConllu(parseConllu(SAMPLE).sentences)).toBe(SAMPLE);
  });

  it.each([
    ['en_ewt', 'dev', 2001],
    ['en_ewt', 'test', 2077],
    ['en_gum', 'dev', 1117],
    ['en_gum', 'test', 1096],
  ] as const)(
    'round-trips the real %s %s file byte for byte (%i sentences)',
    (treebank, split, count) => {
      const file = udFile(treebank, split);
      const text = readFileSync(file, 'utf8');
      const doc = parseConllu(text, file);
      expect(doc.sentences).toHaveLength(count);
      expect(doc.sentences.every((s) => s.id !== undefined)).toBe(true);
      expect(writeConllu(doc.sentences, doc)).toBe(text);
    },
  );

  it('round-trips the real EWT train file (12,544 sentences)', () => {
    const file = udFile('en_ewt', 'train');
    const text = readFileSync(file, 'utf8');
    const doc = parseConllu(text, file);
    expect(doc.sentences).toHaveLength(12544);
    expect(writeConllu(doc.sentences, doc)).toBe(text);
  });

  it('converts a Sentence to CoNLL-U and back without losing pos or dep', () => {
    const sentence = conlluToSentence(parseConllu(readFileSync(EWT_DEV, 'utf8')).sentences[0]!);
    const again = conlluToSentence(
      parseConllu(writeConllu([sentenceToConllu(sentence)])).sentences[0]!,
    );
    expect(again).toEqual(sentence);
  });

  it.each([
    ['1\tI\tI\tPRON\tPRP\t_\t0\troot\t_\n', 1, 'expected 10 tab-separated columns'],
    ['# c\n1\tI\tI\tPRON\tPRP\t_\tx\troot\t_\t_\n', 2, 'bad head'],
    [
      '1\tI\tI\tPRON\tPRP\t_\t0\troot\t_\t_\n3\tgo\tgo\tVERB\tVB\t_\t1\tdep\t_\t_\n',
      2,
      'out of sequence',
    ],
    ['1\tI\tI\tPRON\tPRP\t_\t2\tnsubj\t_\t_\n2\tgo\tgo\tVERB\tVB\t_\t1\tdep\t_\t_\n', 1, 'cycle'],
    ['1\tI\tI\tPRON\tPRP\t_\t5\tnsubj\t_\t_\n', 1, 'beyond'],
    ['# only a comment\n\n', 2, 'no word lines'],
    ['1\tI\tI\tPRON\tPRP\t_\t0\troot\t_\t_\n# late\n', 2, 'comment line after'],
  ])('reports malformed input as file:line (%#)', (text, line, problem) => {
    const parse = () => parseConllu(text, 'bad.conllu');
    expect(parse).toThrow(DataFormatError);
    expect(parse).toThrow(new RegExp(`^bad\\.conllu:${line}: .*${problem}`));
  });
});
