import type { Sentence } from '@stem/core';
import { bioToSpans, parseBio, parseConllu } from '@stem/data';
import { describe, expect, it } from 'vitest';
import register from '../src/hooks/register.js';
import { nerPredictionFormats } from '../src/prediction-formats.js';

const [bio, conllu] = nerPredictionFormats;

const sentences: Sentence[] = [
  {
    id: 'a',
    words: ['Ada', 'Lovelace', 'met', 'Charles', 'Babbage', 'in', 'London'],
    annotations: {
      ner: [
        { start: 0, end: 2, label: 'person' },
        { start: 3, end: 5, label: 'person' },
        { start: 6, end: 7, label: 'place' },
      ],
    },
  },
  { id: 'b', words: ['Hello', '!'], annotations: { ner: [] } },
];

describe('NER prediction formats', () => {
  it('registers BIO as the default and CoNLL-U (MISC) as the second format', async () => {
    const registered: string[][] = [];
    const hook = await register.call({} as never, {} as never);
    await hook.register({
      registerTask: (r: { predictionFormats?: { name: string }[] }) =>
        registered.push((r.predictionFormats ?? []).map((f) => f.name)),
    } as never);
    expect(registered).toEqual([['bio', 'conllu']]);
  });

  it('writes two-column IOB2 (hand-checked) that parseBio / bioToSpans read back', () => {
    const text = bio!.write(sentences, { task: 'ner', config: {} });
    expect(text.split('\n').slice(0, 8)).toEqual([
      'Ada\tB-person',
      'Lovelace\tI-person',
      'met\tO',
      'Charles\tB-person',
      'Babbage\tI-person',
      'in\tO',
      'London\tB-place',
      '',
    ]);
    const back = parseBio(text, 'predicted.bio');
    expect(back.map((s) => s.tokens.map((t) => t.word))).toEqual(sentences.map((s) => s.words));
    expect(back.map((s) => bioToSpans(s.tokens.map((t) => t.tag)))).toEqual(
      sentences.map((s) => s.annotations.ner),
    );
  });

  it('refuses sentences without predicted entities, naming the task and sentence', () => {
    expect(() =>
      bio!.write([{ id: 'x', words: ['a'], annotations: {} }], { task: 'ner', config: {} }),
    ).toThrow(/task "ner": sentence x has no predicted entities/);
  });

  it('writes NER=<tag> into MISC of a CoNLL-U input, keeping its other MISC items', () => {
    const input = [
      '# sent_id = a',
      '1\tAda\tAda\tPROPN\tNNP\t_\t3\tnsubj\t_\t_',
      '2\tLovelace\tLovelace\tPROPN\tNNP\t_\t1\tflat\t_\tSpaceAfter=No',
      '3\tmet\tmeet\tVERB\tVBD\t_\t0\troot\t_\tNER=stale|Gloss=x',
      '4\tCharles\t_\t_\t_\t_\t3\tobj\t_\t_',
      '5\tBabbage\t_\t_\t_\t_\t4\tflat\t_\t_',
      '6\tin\t_\t_\t_\t_\t7\tcase\t_\t_',
      '7\tLondon\t_\t_\t_\t_\t3\tobl\t_\t_',
      '',
      '# sent_id = b',
      '1\tHello\t_\t_\t_\t_\t_\t_\t_\t_',
      '2\t!\t_\t_\t_\t_\t_\t_\t_\t_',
      '',
      '',
    ].join('\n');
    const text = conllu!.write(sentences, {
      task: 'ner',
      config: {},
      input: { file: 'in.conllu', format: 'conllu', text: input },
    });
    const miscs = parseConllu(text).sentences.map((s) => s.words.map((w) => w.misc));
    expect(miscs[0]!.slice(0, 3)).toEqual([
      'NER=B-person',
      'SpaceAfter=No|NER=I-person',
      'NER=O|Gloss=x',
    ]);
    // Only MISC changed: every other column of every line is the input's.
    const strip = (t: string) => t.split('\n').map((l) => l.split('\t').slice(0, 9).join('\t'));
    expect(strip(text)).toEqual(strip(input));
    const back = parseConllu(text).sentences.map((s) =>
      bioToSpans(s.words.map((w) => /(?:^|\|)NER=([^|]+)/.exec(w.misc)![1]!)),
    );
    expect(back).toEqual(sentences.map((s) => s.annotations.ner));
  });
});
