import type { ProbeResult } from '@stem/analyzer-probe';
import { describe, expect, it } from 'vitest';
import type { GatesEntry, ProbeEntry, RunEntry } from '../src/report/study-files.js';
import {
  formatMeanStd,
  keptHeadsTable,
  probeTable,
  scoreTable,
} from '../src/report/study-tables.js';
import { latexEscape, tableToLatex, tableToMarkdown } from '../src/report/table.js';

/** A hand-made 2 x 2 POS probe result. */
function probe(name: string, nn: number, dt: number): ProbeEntry {
  const label = (label: string, count: number, accuracy: number, layer: number, head: number) => {
    const grid = [
      [0, 0],
      [0, 0],
    ];
    grid[layer]![head] = accuracy;
    return { label, count, accuracy: grid, best: { layer, head, accuracy } };
  };
  const result: ProbeResult = {
    format: 'stem.probe-result.v1',
    probe: 'centroid',
    task: 'pos',
    split: 'test',
    fit: 'test',
    layers: 2,
    heads: 2,
    sentences: 3,
    skipped: {},
    items: 10,
    labels: [label('NN', 6, nn, 1, 0), label('DT', 4, dt, 0, 1)],
    weightedAccuracy: [
      [0, 0.4 * dt],
      [0.6 * nn, 0],
    ],
    bestHead: { layer: 1, head: 0, accuracy: 0.6 * nn },
    macroBestAccuracy: (nn + dt) / 2,
  };
  return { file: `${name}/probe-pos.json`, name, result };
}

function run(tasks: string[], seed: number, scores: Record<string, number>): RunEntry {
  return {
    directory: `runs/${tasks.join('-')}-s${seed}`,
    name: tasks.join('-'),
    seed,
    tasks,
    scores: Object.fromEntries(
      Object.entries(scores).map(([task, value]) => [
        task,
        { metric: 'accuracy', value, split: 'test' as const },
      ]),
    ),
  };
}

describe('report tables', () => {
  it('mean ± sample std over seeds', () => {
    // 0.90, 0.92, 0.94: mean 0.92, sample std 0.02.
    expect(formatMeanStd([0.9, 0.92, 0.94], 100)).toBe('92.00 ± 2.00');
    expect(formatMeanStd([0.5], 100)).toBe('50.00');
  });

  it('scores STL vs MTL per task, mean ± std over seeds', () => {
    const table = scoreTable([
      run(['pos'], 1, { pos: 0.9 }),
      run(['pos'], 2, { pos: 0.94 }),
      run(['dep', 'pos'], 1, { pos: 0.8, dep: 0.7 }),
    ])!;
    expect(tableToMarkdown(table)).toBe(
      [
        '### Task scores (%), mean ± std over seeds',
        '',
        '| task | metric | STL | MTL dep+pos |',
        '|---|---:|---:|---:|',
        '| dep | accuracy | - | 70.00 (n=1) |',
        '| pos | accuracy | 92.00 ± 2.83 (n=2) | 80.00 (n=1) |',
        '',
        'Primary metric of each task on test (dev where a run has no test score); n = runs.',
        '',
      ].join('\n'),
    );
  });

  it('keeps pruning runs (STL-DP, MTL-DP) apart from STL and MTL', () => {
    const pruned = { ...run(['pos'], 3, { pos: 0.5 }), pruned: true };
    const table = scoreTable([run(['pos'], 1, { pos: 0.9 }), pruned])!;
    expect(table.columns).toEqual(['task', 'metric', 'STL', 'STL-DP']);
    expect(table.rows).toEqual([['pos', 'accuracy', '90.00 (n=1)', '50.00 (n=1)']]);
    expect(table.note).toContain('-DP: pruning runs');
    expect(table.note).not.toContain('dev score');
  });

  it('marks cells whose runs were scored on dev, all or some of them', () => {
    const onDev = (entry: RunEntry): RunEntry => ({
      ...entry,
      pruned: true,
      scores: { pos: { ...entry.scores['pos']!, split: 'dev' } },
    });
    const table = scoreTable([
      run(['pos'], 1, { pos: 0.9 }),
      onDev(run(['pos'], 1, { pos: 0.5 })),
      onDev(run(['pos'], 2, { pos: 0.7 })),
      run(['dep', 'pos'], 1, { pos: 0.8 }),
      onDev(run(['dep', 'pos'], 2, { pos: 0.6 })),
      // A plain run without test sentences: one of the two STL scores is a dev score.
      { ...onDev(run(['pos'], 2, { pos: 0.8 })), pruned: false },
    ])!;
    expect(table.columns).toEqual([
      'task',
      'metric',
      'STL',
      'MTL dep+pos',
      'MTL-DP dep+pos',
      'STL-DP',
    ]);
    expect(table.rows).toEqual([
      [
        'pos',
        'accuracy',
        '85.00 ± 7.07 (n=2, 1 on dev)',
        '80.00 (n=1)',
        '60.00 (n=1, dev)',
        '60.00 ± 14.14 (n=2, dev)',
      ],
    ]);
    expect(table.note).toContain('the cell is a dev score');
  });

  it('counts kept heads (gate > 1e-3) per task set and marks runs with undecided gates', () => {
    const gates = (values: number[][], seed: number): GatesEntry => ({
      file: `g${seed}`,
      name: `g${seed}`,
      tasks: ['pos'],
      seed,
      gates: values,
      keptHeads: values.flat().filter((g) => g > 1e-3).length,
      undecided: values.flat().filter((g) => g > 0 && g < 1).length,
    });
    const table = keptHeadsTable([
      gates(
        [
          [1, 0],
          [0.5, 0.002],
        ],
        1,
      ),
      gates(
        [
          [1, 0],
          [0, 0.0009],
        ],
        2,
      ),
    ])!;
    // 3 and 1 kept of 4: mean 2, sample std sqrt(2) = 1.41; 50% ± 35.36%. Undecided gates:
    // 0.5 and 0.002 in the first run, 0.0009 in the second; none would be 0 and unmarked.
    expect(table.columns.at(-1)).toBe('undecided gates per run');
    expect(table.rows).toEqual([['pos', '2', '2.0 ± 1.4', '4', '50.00 ± 35.36', '2*, 1*']]);
    expect(table.note).toContain('* marks a run that did not decide every gate');
    const converged = keptHeadsTable([
      gates(
        [
          [1, 0],
          [0, 1],
        ],
        3,
      ),
    ])!;
    expect(converged.rows[0]!.at(-1)).toBe('0');
  });

  it('lists per-label best heads of one result, and deltas between results', () => {
    const single = probeTable('pos', [probe('static', 0.5, 0.75)]);
    expect(single.rows).toEqual([
      ['NN', '6', 'L2H1', '50.00'],
      ['DT', '4', 'L1H2', '75.00'],
      ['macro (best per label)', '10', '', '62.50'],
    ]);
    const compared = probeTable('pos', [probe('static', 0.5, 0.75), probe('STL', 0.9, 0.7)]);
    expect(compared.columns).toEqual(['label', 'count', 'static', 'STL', 'Δ STL']);
    expect(compared.rows).toEqual([
      ['NN', '6', '50.00 (L2H1)', '90.00 (L2H1)', '+40.00'],
      ['DT', '4', '75.00 (L1H2)', '70.00 (L1H2)', '-5.00'],
      ['macro (best per label)', '', '62.50', '80.00', '+17.50'],
    ]);
    expect(compared.note).toContain('STL is below on 1 of 2 labels');
    const latex = tableToLatex(compared);
    expect(latex).toContain('\\begin{tabular}{lrrrr}');
    expect(latex).toContain('label & count & static & STL & $\\Delta$ STL \\\\');
    expect(latex).toContain('NN & 6 & 50.00 (L2H1) & 90.00 (L2H1) & +40.00 \\\\');
  });

  it('shows the positional reference of attention probes beside the best heads', () => {
    // A DEP result: the same labels, with the baselines `stem probe` writes.
    const withBaselines = (name: string, nn: number, dt: number): ProbeEntry => {
      const entry = probe(name, nn, dt);
      const result: ProbeResult = {
        ...entry.result,
        probe: 'attention',
        task: 'dep',
        baselines: [
          { name: 'previous word', accuracy: 0.3, labels: { NN: 0.2, DT: 0.45 } },
          { name: 'next word', accuracy: 0.2, labels: { NN: 0.1, DT: 0.35 } },
          {
            name: 'best fixed offset per label',
            accuracy: 0.42,
            labels: { NN: 0.4, DT: 0.45 },
            offsets: { NN: 3, DT: -1 },
          },
        ],
      };
      delete result.fit;
      return { ...entry, result };
    };
    const single = probeTable('dep', [withBaselines('static', 0.5, 0.75)]);
    expect(single.columns).toEqual([
      'label',
      'count',
      'best head',
      'accuracy',
      'best fixed offset (offset)',
    ]);
    expect(single.rows).toEqual([
      ['NN', '6', 'L2H1', '50.00', '40.00 (+3)'],
      ['DT', '4', 'L1H2', '75.00', '45.00 (-1)'],
      ['macro (best per label)', '10', '', '62.50', ''],
      ['baseline: previous word', '10', '', '30.00', ''],
      ['baseline: next word', '10', '', '20.00', ''],
      ['baseline: best fixed offset per label', '10', '', '42.00', ''],
    ]);
    const compared = probeTable('dep', [
      withBaselines('static', 0.5, 0.75),
      withBaselines('STL', 0.9, 0.7),
    ]);
    expect(compared.columns.at(-1)).toBe('best fixed offset');
    expect(compared.rows.map((r) => r.at(-1))).toEqual(['40.00', '45.00', '']);
    expect(compared.note).toContain('positional reference');
  });

  it('escapes LaTeX specials in labels (PTB tags such as $ and PRP$)', () => {
    expect(latexEscape('PRP$')).toBe('PRP\\$');
    expect(latexEscape("''")).toBe('\\textquotesingle{}\\textquotesingle{}');
    expect(latexEscape('ARGM_TMP & 5%')).toBe('ARGM\\_TMP \\& 5\\%');
  });
});
