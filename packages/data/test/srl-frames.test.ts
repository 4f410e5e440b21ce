import { describe, expect, it } from 'vitest';
import { DataFormatError } from '../src/errors.js';
import { framesFromColumns, framesToColumns, spansFromColumn } from '../src/srl/frames.js';

const origin = { file: 'f.conll', lines: [10, 11, 12, 13, 14, 15, 16] };

describe('SRL frames from CoNLL-2012 columns', () => {
  it('keeps C- and R- arguments as roles and drops V and C-V', () => {
    // "The man who I said , he thinks , left": a toy with a split predicate and references.
    const column = ['(ARG0*', '*)', '(R-ARG0*)', '(V*)', '(C-V*)', '(C-ARG1*', '*)'];
    const [frame] = framesFromColumns({
      argColumns: [column],
      predicateRows: [3],
      origin,
      rolesets: [undefined, undefined, undefined, 'say.01'],
    });
    expect(frame).toEqual({
      predicate: 3,
      roleset: 'say.01',
      arguments: [
        { start: 0, end: 2, role: 'ARG0' },
        { start: 2, end: 3, role: 'R-ARG0' },
        { start: 5, end: 7, role: 'C-ARG1' },
      ],
    });
    // Writing the frame back gives V at the predicate (C-V is the predicate's own, not an argument).
    expect(framesToColumns([frame!], 7)[0]).toEqual([
      '(ARG0*',
      '*)',
      '(R-ARG0*)',
      '(V*)',
      '*',
      '(C-ARG1*',
      '*)',
    ]);
  });

  it('ties a column without V to its predicate row', () => {
    const [frame] = framesFromColumns({
      argColumns: [['(ARG1*)', '*', '*']],
      predicateRows: [1],
      origin,
    });
    expect(frame!.predicate).toBe(1);
  });

  it('reports nested, unclosed and stray brackets at their line', () => {
    expect(() => spansFromColumn(['(A*', '(B*)', '*)'], origin)).toThrow(
      /^f\.conll:11: .*opens inside/,
    );
    expect(() => spansFromColumn(['*', '(A*', '*'], origin)).toThrow(
      /^f\.conll:11: .*never closed/,
    );
    expect(() => spansFromColumn(['*)', '*'], origin)).toThrow(DataFormatError);
    expect(() =>
      framesFromColumns({ argColumns: [['*', '*']], predicateRows: [], origin }),
    ).toThrow(/^f\.conll:10: SRL column 1 has no V/);
  });
});
