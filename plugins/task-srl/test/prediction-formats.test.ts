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
});
