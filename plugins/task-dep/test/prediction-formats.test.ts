import { readFile } from 'node:fs/promises';
import type { Sentence } from '@stem/core';
import { conlluToSentence, parseConllu, udFile } from '@stem/data';
import { describe, expect, it } from 'vitest';
import { depPredictionFormats } from '../src/prediction-formats.js';

const conllu = depPredictionFormats[0]!;

describe('DEP prediction format (CoNLL-U)', () => {
  it('replaces only HEAD and DEPREL of real EWT sentences; the trees read back', async () => {
    const file = udFile('en_ewt', 'dev');
    // The first blocks of the file verbatim, multi-word tokens and MISC included.
    const text = (await readFile(file, 'utf8')).split('\n\n').slice(0, 40).join('\n\n') + '\n\n';
    const document = parseConllu(text, file);
    // A right-branching chain with one made-up relation: unlike any gold tree.
    const predicted: Sentence[] = document.sentences.map((s) => {
      const sentence = conlluToSentence(s);
      const n = sentence.words.length;
      return {
        ...sentence,
        annotations: {
          ...sentence.annotations,
          dep: {
            heads: sentence.words.map((_, i) => (i === n - 1 ? 0 : i + 2)),
            relations: sentence.words.map((_, i) => (i === n - 1 ? 'root' : 'pred')),
          },
        },
      };
    });
    const output = conllu.write(predicted, {
      task: 'dep',
      config: {},
      input: { file, format: 'conllu', text },
    });
    const back = parseConllu(output, 'predicted.conllu');
    expect(back.sentences.map((s) => conlluToSentence(s).annotations.dep)).toEqual(
      predicted.map((s) => s.annotations.dep),
    );
    const keep = (line: string) =>
      /^\d+\t/.test(line) ? line.split('\t').filter((_, c) => c !== 6 && c !== 7) : [line];
    expect(output.split('\n').map(keep)).toEqual(text.split('\n').map(keep));
    expect(output).not.toBe(text);
  });

  it('writes a fresh CoNLL-U for text input and names a sentence without a tree', () => {
    const sentences: Sentence[] = [
      {
        id: 't1',
        words: ['Dogs', 'bark'],
        annotations: { dep: { heads: [2, 0], relations: ['nsubj', 'root'] } },
      },
    ];
    expect(conllu.write(sentences, { task: 'dep', config: {} })).toBe(
      '# sent_id = t1\n# text = Dogs bark\n1\tDogs\t_\t_\t_\t_\t2\tnsubj\t_\t_\n2\tbark\t_\t_\t_\t_\t0\troot\t_\t_\n\n',
    );
    expect(() =>
      conllu.write([{ id: 'u', words: ['a'], annotations: {} }], { task: 'parser', config: {} }),
    ).toThrow(/task "parser": sentence u has no predicted dependency tree/);
  });
});
