import { describe, expect, it } from 'vitest';
import {
  failureReason,
  formatMs,
  formatRatio,
  interleavedSchedule,
  markdownTable,
  median,
  quantile,
  ratio,
  resultTable,
  summarize,
} from '../bench-stats.mjs';

describe('interleavedSchedule', () => {
  it('alternates the sides once per round, A B A B', () => {
    const order = interleavedSchedule(['PyTorch', 'stem wasm'], 3);
    expect(order.map((r) => r.side)).toEqual([
      'PyTorch',
      'stem wasm',
      'PyTorch',
      'stem wasm',
      'PyTorch',
      'stem wasm',
    ]);
    expect(order.map((r) => r.repetition)).toEqual([1, 1, 2, 2, 3, 3]);
  });

  it('runs every side the same number of times with more than two sides', () => {
    const order = interleavedSchedule(['a', 'b', 'c'], 5);
    for (const side of ['a', 'b', 'c'])
      expect(order.filter((r) => r.side === side)).toHaveLength(5);
    // No side runs twice in a row.
    for (let i = 1; i < order.length; i++) expect(order[i]?.side).not.toBe(order[i - 1]?.side);
  });

  it('refuses a repetition count that is not a positive integer, and no sides', () => {
    expect(() => interleavedSchedule(['a'], 0)).toThrow(/positive integer/);
    expect(() => interleavedSchedule(['a'], 2.5)).toThrow(/positive integer/);
    expect(() => interleavedSchedule([], 3)).toThrow(/at least one side/);
  });
});

describe('median, quantile, summarize', () => {
  it('takes the middle value of an odd count and the mean of the middle two of an even one', () => {
    expect(median([5, 1, 3])).toBe(3);
    expect(median([4, 1, 3, 2])).toBe(2.5);
  });

  it('interpolates quantiles between ranks and does not reorder its input', () => {
    const values = [10, 40, 20, 30];
    expect(quantile(values, 0)).toBe(10);
    expect(quantile(values, 1)).toBe(40);
    expect(quantile(values, 0.25)).toBeCloseTo(17.5);
    expect(quantile(values, 0.75)).toBeCloseTo(32.5);
    expect(values).toEqual([10, 40, 20, 30]);
  });

  it('summarizes median, min-max and the interquartile range', () => {
    expect(summarize([7, 1, 5, 3, 9])).toEqual({ n: 5, median: 5, min: 1, max: 9, q1: 3, q3: 7 });
  });

  it('refuses empty input and a quantile outside 0..1', () => {
    expect(() => median([])).toThrow(/no values/);
    expect(() => quantile([1], 1.5)).toThrow(/0\.\.1/);
  });
});

describe('ratio and formatting', () => {
  it('divides candidate by reference, undefined when either is missing', () => {
    expect(ratio(150, 100)).toBe(1.5);
    expect(ratio(undefined, 100)).toBeUndefined();
    expect(ratio(150, undefined)).toBeUndefined();
    expect(ratio(150, 0)).toBeUndefined();
    expect(formatRatio(ratio(150, 100))).toBe('1.50x');
    expect(formatRatio(undefined)).toBe('n/a');
  });

  it('prints milliseconds with one decimal below 100 and thousands separators above', () => {
    expect(formatMs(33.14)).toBe('33.1');
    expect(formatMs(178.7)).toBe('179');
    expect(formatMs(2685.2)).toBe('2,685');
  });

  it('pads Markdown columns and right-aligns the ones marked ">"', () => {
    const table = markdownTable(
      ['name', '>ms'],
      [
        ['a', '1.5'],
        ['long name', '1,208'],
      ],
    );
    expect(table.split('\n')).toEqual([
      '| name      |    ms |',
      '| --------- | ----: |',
      '| a         |   1.5 |',
      '| long name | 1,208 |',
    ]);
    expect(() => markdownTable(['a', 'b'], [['only one']])).toThrow(/1 cells, the header 2/);
  });
});

describe('resultTable', () => {
  /** A table row's cells, trimmed, without the empty ends outside the outer bars. */
  const cells = (row: string | undefined) =>
    (row ?? '')
      .split('|')
      .slice(1, -1)
      .map((c) => c.trim());
  const runs = (side: string, medians: number[]) =>
    medians.map((medianMs, i) => ({ side, repetition: i + 1, medianMs }));

  it('gives each side its median, spread and ratio to the reference at the same threads', () => {
    const table = resultTable(
      {
        blocks: [
          {
            shape: 'L2H128-16x32',
            threads: 1,
            loadBefore: [0.12, 0.3, 0.4],
            loadAfter: [1.04, 0.5, 0.4],
            runs: [...runs('PyTorch', [30, 34, 32]), ...runs('stem wasm', [45, 50, 48])],
          },
        ],
      },
      'PyTorch',
    );
    const [, , torchRow, stemRow] = table.split('\n');
    expect(cells(torchRow)).toEqual([
      'L2H128-16x32',
      '1',
      'PyTorch',
      '32.0',
      '30.0-34.0',
      '31.0-33.0',
      '3',
      '',
      '0.1 / 1.0',
    ]);
    // 48 / 32 = 1.5; q1..q3 of 45, 48, 50 is 46.5..49.
    expect(cells(stemRow)).toEqual([
      'L2H128-16x32',
      '1',
      'stem wasm',
      '48.0',
      '45.0-50.0',
      '46.5-49.0',
      '3',
      '1.50x',
      '0.1 / 1.0',
    ]);
  });

  it('counts failed repetitions and leaves the ratio out when the reference has no samples', () => {
    const table = resultTable(
      {
        blocks: [
          {
            shape: 'L4H256-32x64',
            threads: 2,
            loadBefore: [1],
            loadAfter: [1],
            runs: [
              { side: 'PyTorch', repetition: 1, error: 'python3 cannot import torch' },
              ...runs('stem wasm', [900]),
              { side: 'stem wasm', repetition: 2, error: 'out of memory' },
            ],
          },
        ],
      },
      'PyTorch',
    );
    const rows = table.split('\n').slice(2).map(cells);
    expect(rows.map((r) => [r[2], r[3], r[6], r[7]])).toEqual([
      ['PyTorch', 'n/a', '0 (1 failed)', ''],
      ['stem wasm', '900', '1 (1 failed)', 'n/a'],
    ]);
  });
});

describe('failureReason', () => {
  it('picks the error line out of a Node stack trace, not the version banner', () => {
    const output = [
      '/x/tf-backend-wasm.node.js:8597',
      '  throw ex;',
      '  ^',
      '',
      'Error: gatherRows: expected 9 arguments',
      '    at Object.kernelFunc (gather-kernel.js:25:27)',
      '{',
      "  code: 'STEM_NATIVE'",
      '}',
      '',
      'Node.js v20.20.2',
    ].join('\n');
    expect(failureReason(output)).toBe('Error: gatherRows: expected 9 arguments');
  });

  it('picks a Python exception and an argparse error', () => {
    expect(
      failureReason('Traceback (most recent call last):\n  File "x"\nModuleNotFoundError: torch'),
    ).toBe('ModuleNotFoundError: torch');
    expect(failureReason('usage: pytorch_step.py\npytorch_step.py: error: bad --seq')).toBe(
      'pytorch_step.py: error: bad --seq',
    );
  });

  it('falls back to the last line, and says when there was none', () => {
    expect(failureReason('starting\nkilled by signal')).toBe('killed by signal');
    expect(failureReason('\n\n')).toBe('no output');
  });
});
