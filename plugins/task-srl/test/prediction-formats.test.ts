import type { Sentence } from '@stem/core';
import { framesFromColumns } from '@stem/data';
import { describe, expect, it } from 'vitest';
import { srlPredictionFormats } from '../src/prediction-formats.js';

const props = srlPredictionFormats[0]!;

/** Reads props text back: per sentence the target column and the argument columns. */
function parseProps(text: string): Array<{ targets: string[]; columns: string[][] }> {
  return text
    .trimEnd()
    .split(/\n\n/)
    .map((block) => {
      const rows = block.split('\n').map((line) => line.split('\t'));
      return {
        targets: rows.map((r) => r[0] as string),
        columns: Array.from({ length: (rows[0]?.length ?? 1) - 1 }, (_, k) =>
          rows.map((r) => r[k + 1] as string),
        ),
      };
    });
}

describe('SRL prediction format (props)', () => {
  it('writes CoNLL-2005 props columns (hand-checked) that read back to the same frames', () => {
    const sentences: Sentence[] = [
      {
        id: 'a',
        words: ['The', 'man', 'who', 'left', 'said', 'so', '.'],
        annotations: {
          srl: [
            // Out of order on purpose: columns follow the predicates' positions.
            {
              predicate: 4,
              lemma: 'say',
              arguments: [
                { start: 0, end: 4, role: 'ARG0' },
                { start: 5, end: 6, role: 'ARG1' },
              ],
            },
            {
              predicate: 3,
              arguments: [
                { start: 0, end: 2, role: 'ARG0' },
                { start: 2, end: 3, role: 'R-ARG0' },
              ],
            },
          ],
        },
      },
      { id: 'b', words: ['Hi', '!'], annotations: { srl: [] } },
    ];
    expect(props.name).toBe('props');
    const text = props.write(sentences, { task: 'srl', config: {} });
    expect(text).toBe(
      [
        '-\t(ARG0*\t(ARG0*',
        '-\t*)\t*',
        '-\t(R-ARG0*)\t*',
        'left\t(V*)\t*)',
        'say\t*\t(V*)',
        '-\t*\t(ARG1*)',
        '-\t*\t*',
        '',
        '-',
        '-',
        '',
      ].join('\n'),
    );
    const [first, second] = parseProps(text);
    const frames = framesFromColumns({
      argColumns: first!.columns,
      predicateRows: [],
      origin: { file: 'predicted.props', lines: [1, 2, 3, 4, 5, 6, 7] },
    });
    expect(frames).toEqual(
      [...sentences[0]!.annotations.srl!]
        .sort((x, y) => x.predicate - y.predicate)
        .map(({ predicate, arguments: args }) => ({ predicate, arguments: args })),
    );
    expect(second).toEqual({ targets: ['-', '-'], columns: [] });
  });

  it('writes the input CoNLL-U LEMMA in the target column, as the gold props of srl-eval.pl have it', () => {
    const input = [
      '# sent_id = x',
      '1\tPrices\tprice\tNOUN\tNNS\t_\t2\tnsubj\t_\t_',
      '2\texpanded\texpand\tVERB\tVBD\t_\t0\troot\t_\t_',
      '3\tquickly\t_\tADV\tRB\t_\t2\tadvmod\t_\t_',
      '',
      '',
    ].join('\n');
    const sentence: Sentence = {
      id: 'x',
      words: ['Prices', 'expanded', 'quickly'],
      annotations: {
        srl: [
          { predicate: 1, arguments: [{ start: 0, end: 1, role: 'ARG1' }] },
          { predicate: 2, arguments: [] }, // LEMMA `_`: the word form
        ],
      },
    };
    const text = props.write([sentence], {
      task: 'srl',
      config: {},
      input: { file: 'in.conllu', format: 'conllu', text: input },
    });
    expect(parseProps(text)[0]!.targets).toEqual(['-', 'expand', 'quickly']);
    // Plain-text input has no lemmas: the word form.
    const plain = props.write([sentence], {
      task: 'srl',
      config: {},
      input: { file: 'in.txt', format: 'text', text: 'Prices expanded quickly\n' },
    });
    expect(parseProps(plain)[0]!.targets).toEqual(['-', 'expanded', 'quickly']);
  });
});
