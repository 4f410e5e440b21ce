import type { Sentence } from '@stem/core';
import { framesFromColumns } from '@stem/data';
import { describe, expect, it } from 'vitest';
import { formatSrlProps } from '../src/run/srl-props.js';
import { parseProps } from './srl-props-reader.js';

describe('formatSrlProps', () => {
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
    const text = formatSrlProps(sentences);
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
