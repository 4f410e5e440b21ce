import { describe, expect, it } from 'vitest';
import { fillConllu, type ConlluFiller } from '../src/readers/conllu-fill.js';
import { conlluToSentence, parseConllu } from '../src/readers/conllu.js';

const TWO_SENTENCES = [
  '# sent_id = s1',
  '1\tDogs\tdog\tNOUN\t_\t_\t2\tnsubj\t_\t_',
  '2\tbark\tbark\tVERB\t_\t_\t0\troot\t_\t_',
  '',
  '# sent_id = s2',
  '1\tHi\thi\tINTJ\t_\t_\t0\troot\t_\t_',
  '',
  '',
].join('\n');

/** XPOS = the word's form upper-cased: a prediction that is visible in the output. */
const fillXpos: ConlluFiller = (words) => {
  for (const word of words) word.xpos = word.form.toUpperCase();
};

function fillInto(text: string): string {
  const sentences = parseConllu(text).sentences.map((s) => conlluToSentence(s));
  return fillConllu(sentences, { file: 'input.conllu', format: 'conllu', text }, fillXpos);
}

describe('fillConllu: the blank line after the last sentence', () => {
  it('adds it when the input leaves it out (the CoNLL 2018 scorer requires it)', () => {
    const withoutFinalBlank = TWO_SENTENCES.slice(0, -1);
    expect(withoutFinalBlank.endsWith('\n\n')).toBe(false);
    const output = fillInto(withoutFinalBlank);
    expect(output.endsWith('\t_\t_\n\n')).toBe(true);
    expect(output).toBe(fillInto(TWO_SENTENCES));
    expect(output).toContain('1\tHi\thi\tINTJ\tHI\t_\t0\troot\t_\t_\n');
  });

  it('does not add a second one when the input has it', () => {
    const output = fillInto(TWO_SENTENCES);
    expect(output.endsWith('\t_\t_\n\n')).toBe(true);
    expect(output).toBe(
      TWO_SENTENCES.replace('\tNOUN\t_', '\tNOUN\tDOGS')
        .replace('\tVERB\t_', '\tVERB\tBARK')
        .replace('\tINTJ\t_', '\tINTJ\tHI'),
    );
  });

  it('writes exactly one when the input ends with several', () => {
    expect(fillInto(`${TWO_SENTENCES}\n\n`)).toBe(fillInto(TWO_SENTENCES));
  });

  it('ends a document built from text input with it too', () => {
    const sentences = [{ id: 't1', words: ['Dogs', 'bark'], annotations: {} }];
    const output = fillConllu(
      sentences,
      { file: 'input.txt', format: 'text', text: 'Dogs bark\n' },
      fillXpos,
    );
    expect(output.endsWith('2\tbark\t_\t_\tBARK\t_\t_\t_\t_\t_\n\n')).toBe(true);
  });
});
