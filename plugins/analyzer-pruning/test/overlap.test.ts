import { mkdtemp, readFile, readdir } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { analyzeOverlap, type PruningRunGates } from '../src/overlap/overlap-analysis.js';
import { overlapOfRuns } from '../src/overlap/write-overlap.js';
import {
  readPruningSummary,
  writePruningSummary,
  type PruningSummary,
} from '../src/pruning-summary.js';

// Two tasks x three runs of a 2-layer, 3-head encoder.
const POS = [
  [
    [1, 0, 0.5],
    [0, 1, 0],
  ],
  [
    [1, 0, 0],
    [0, 1, 0.2],
  ],
  [
    [1, 0.5, 0],
    [0, 0.8, 0],
  ],
];
const NER = [
  [
    [1, 1, 0],
    [0, 0, 0],
  ],
  [
    [1, 1, 0],
    [0, 0, 1],
  ],
  [
    [0.9, 1, 0],
    [0, 0, 0],
  ],
];
const runsOf = (task: string, gates: number[][][]): PruningRunGates[] =>
  gates.map((g, i) => ({ source: `${task}-${i + 1}`, tasks: [task], gates: g }));

describe('stem-cell overlap analysis', () => {
  const result = analyzeOverlap([...runsOf('pos', POS), ...runsOf('ner', NER)]);
  const pos = result.tasks[0];
  const ner = result.tasks[1];

  it('maps runs to RGB channels as 1 - gate (black = kept by all runs)', () => {
    expect(pos?.task).toBe('pos');
    expect(pos?.channels).toEqual(['pos-1', 'pos-2', 'pos-3']);
    expect(pos?.rgb[0]?.[0]).toEqual([0, 0, 0]);
    expect(pos?.rgb[0]?.[2]).toEqual([0.5, 1, 1]);
    expect(pos?.rgb[1]?.[2]?.[1]).toBeCloseTo(0.8, 12);
  });

  it('averages gates per task and over every run of every task', () => {
    const hand = [
      [1, 1 / 6, 1 / 6],
      [0, 2.8 / 3, 0.2 / 3],
    ];
    pos?.meanGates.flat().forEach((g, i) => expect(g).toBeCloseTo(hand.flat()[i] as number, 12));
    // All six runs: (1+1+1+1+1+0.9)/6 at (0,0); (0.5 + 1 + 1 + 1)/6 at (0,1).
    expect(result.meanGates[0]?.[0]).toBeCloseTo(5.9 / 6, 12);
    expect(result.meanGates[0]?.[1]).toBeCloseTo(3.5 / 6, 12);
    expect(result.meanGates[1]?.[2]).toBeCloseTo(1.2 / 6, 12);
  });

  it('counts kept heads (gate > 1e-3) per task, per layer and per run', () => {
    expect(pos?.keptFractionPerRun).toEqual([0.5, 0.5, 0.5]);
    expect(ner?.keptFractionPerRun).toEqual([2 / 6, 3 / 6, 2 / 6]);
    expect(ner?.keptFraction).toBeCloseTo(7 / 18, 12);
    // pos layer 1 keeps 2, 1, 2 of 3 heads; layer 2 keeps 1, 2, 1.
    expect(pos?.keptFractionPerLayer[0]).toBeCloseTo(5 / 9, 12);
    expect(pos?.keptFractionPerLayer[1]).toBeCloseTo(4 / 9, 12);
    expect(result.keptFractionPerLayer[0]).toBeCloseTo((5 + 6) / 18, 12);
  });

  it('lists the heads every task claims (kept in at least half its runs) as stem cells', () => {
    expect(result.claimedByTasks).toEqual([
      [2, 1, 0],
      [0, 1, 0],
    ]);
    expect(result.stemCells).toEqual([{ layer: 0, head: 0 }]);
  });

  it('tabulates Pearson r between tasks with sqrt(adjusted R^2) of run 3 on runs 1 and 2 as the diagonal', () => {
    // References: numpy.corrcoef and numpy.linalg.lstsq on the same vectors.
    expect(result.correlation.tasks).toEqual(['pos', 'ner']);
    expect(result.correlation.r[0]?.[1]).toBeCloseTo(0.2392117203795635, 10);
    expect(result.correlation.r[1]?.[0]).toBeCloseTo(0.2392117203795635, 10);
    expect(result.correlation.diagonal[0]).toMatchObject({ method: 'sqrt-adjusted-r2' });
    expect(result.correlation.diagonal[0]?.adjustedRSquared).toBeCloseTo(0.5598956067855589, 10);
    expect(result.correlation.r[0]?.[0]).toBeCloseTo(Math.sqrt(0.5598956067855589), 10);
    expect(result.correlation.r[1]?.[1]).toBeCloseTo(Math.sqrt(0.993103448275862), 10);
  });

  it('falls back to Pearson r between two runs, and says so', () => {
    const two = analyzeOverlap(runsOf('pos', POS.slice(0, 2)));
    expect(two.correlation.diagonal[0]).toMatchObject({ method: 'pearson-two-runs' });
    expect(two.correlation.diagonal[0]?.note).toMatch(/two runs/);
    expect(two.correlation.r[0]?.[0]).toBeCloseTo(0.8874185312357498, 10);
    // The missing third channel repeats the mean of the two shown runs.
    expect(two.tasks[0]?.rgb[0]?.[2]).toEqual([0.5, 1, 0.75]);
  });

  it('refuses runs of different encoder shapes, naming the run', () => {
    expect(() =>
      analyzeOverlap([
        ...runsOf('pos', POS),
        { source: 'other-run', tasks: ['ner'], gates: [[1, 1]] },
      ]),
    ).toThrow(/other-run: gates are 1 x 2/);
  });

  it('reads pruning runs and writes overlap.json and SVG maps', async () => {
    const root = await mkdtemp(join(tmpdir(), 'stem-overlap-'));
    const directories: string[] = [];
    for (const [task, gates] of [
      ['pos', POS],
      ['ner', NER],
    ] as const) {
      for (const [i, g] of gates.entries()) {
        const directory = join(root, `${task}-${i}`);
        await writePruningSummary(directory, summaryOf(task, i, g));
        directories.push(directory);
      }
    }
    expect((await readPruningSummary(directories[0] as string)).final.gates).toEqual(POS[0]);
    const output = join(root, 'overlap');
    const { files } = await overlapOfRuns(directories, output);
    expect((await readdir(output)).sort()).toEqual(
      ['correlation.svg', 'mean-gates.svg', 'overlap.json', 'rgb-ner.svg', 'rgb-pos.svg'].sort(),
    );
    expect(files).toHaveLength(5);
    const json = JSON.parse(await readFile(join(output, 'overlap.json'), 'utf8'));
    expect(json.stemCells).toEqual([{ layer: 0, head: 0 }]);
    const rgb = await readFile(join(output, 'rgb-pos.svg'), 'utf8');
    expect(rgb.startsWith('<svg')).toBe(true);
    expect(rgb.match(/<rect x=/g)).toHaveLength(6);
    expect(rgb).toContain('fill="rgb(0,0,0)"');
    await expect(readPruningSummary(root)).rejects.toThrow(
      /not a finished pruning run.*stem prune/,
    );
  });
});

function summaryOf(task: string, seed: number, gates: number[][]): PruningSummary {
  const kept = gates.map((row) => row.map((g) => (g > 1e-3 ? 1 : 0)));
  const keptHeads = kept.flat().reduce<number>((n, k) => n + k, 0);
  return {
    format: 1,
    component: 'pruning',
    tasks: [task],
    seed,
    final: {
      lambda: 0.01,
      lambdaSource: 'paper',
      gates,
      logAlpha: gates.map((row) => row.map(() => 0)),
      kept,
      keptHeads,
      totalHeads: 6,
      keptFraction: keptHeads / 6,
      keptFractionPerLayer: kept.map((row) => row.reduce<number>((n, k) => n + k, 0) / 3),
    },
    evaluations: [],
    primary: { [task]: 'accuracy' },
    scores: { gated: { dev: {} }, open: { dev: {} } },
  };
}
