import { mkdtemp, readFile, readdir } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { SeededRandom } from '@stem/core';
import { analyzeOverlap, type PruningRunGates } from '../src/overlap/overlap-analysis.js';
import { STEM_CELL_DEFINITION } from '../src/overlap/stem-cells.js';
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
  // POS and NER have gates strictly between 0 and 1 (0.5, 0.9, ...): counted on request.
  const result = analyzeOverlap([...runsOf('pos', POS), ...runsOf('ner', NER)], {
    includeUndecided: true,
  });
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
    expect(result.stemCellDefinition).toBe(STEM_CELL_DEFINITION);
    expect(result.excludedUndecided).toEqual([]);
    expect(result.notes.some((n) => /4 of 6 run\(s\) counted although/.test(n))).toBe(true);
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
    const two = analyzeOverlap(runsOf('pos', POS.slice(0, 2)), { includeUndecided: true });
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
    const { files } = await overlapOfRuns(directories, output, {
      includeUndecided: true,
      random: new SeededRandom(1).fork('overlap/sharing'),
      draws: 200,
      seed: 1,
    });
    expect((await readdir(output)).sort()).toEqual(
      ['correlation.svg', 'mean-gates.svg', 'overlap.json', 'rgb-ner.svg', 'rgb-pos.svg'].sort(),
    );
    expect(files).toHaveLength(5);
    const json = JSON.parse(await readFile(join(output, 'overlap.json'), 'utf8'));
    expect(json.stemCells).toEqual([{ layer: 0, head: 0 }]);
    expect(json.stemCellDefinition).toBe(STEM_CELL_DEFINITION);
    expect(json.sharing.draws).toBe(200);
    expect(json.sharing.stemCells).toEqual([{ layer: 0, head: 0 }]);
    expect(json.seedCoupling.sameSeed.pairs).toBe(3);
    expect(json.excludedUndecided).toEqual([]);
    const rgb = await readFile(join(output, 'rgb-pos.svg'), 'utf8');
    expect(rgb.startsWith('<svg')).toBe(true);
    expect(rgb.match(/<rect x=/g)).toHaveLength(6);
    expect(rgb).toContain('fill="rgb(0,0,0)"');
    await expect(readPruningSummary(root)).rejects.toThrow(
      /not a finished pruning run.*stem prune/,
    );
  });
});

describe('undecided runs and the sharing test in the overlap analysis', () => {
  // Decided gates (every gate 0 or 1): pos keeps heads 1-2 of layer 1, ner heads 1 and 3.
  const decided = (task: string, gates: number[][], seed: number, source = `${task}-s${seed}`) => ({
    source,
    tasks: [task],
    seed,
    gates,
  });
  const POS_DECIDED = [
    [1, 1, 0],
    [0, 0, 0],
  ];
  const NER_DECIDED = [
    [1, 0, 1],
    [0, 0, 0],
  ];
  const UNDECIDED = [
    [1, 0.4, 0],
    [0.02, 0, 0],
  ];

  it('leaves out runs whose gates are not all 0 or 1, lists them and says so', () => {
    const result = analyzeOverlap([
      decided('pos', POS_DECIDED, 1),
      decided('pos', UNDECIDED, 2),
      decided('ner', NER_DECIDED, 1),
    ]);
    expect(result.excludedUndecided).toEqual([{ source: 'pos-s2', undecidedGates: 2 }]);
    expect(result.notes[0]).toMatch(/1 of 3 run\(s\) left out/);
    expect(result.tasks.map((t) => [t.task, t.runs])).toEqual([
      ['pos', ['pos-s1']],
      ['ner', ['ner-s1']],
    ]);
    // Only head 1 of layer 1 is kept by both decided runs.
    expect(result.stemCells).toEqual([{ layer: 0, head: 0 }]);
    expect(result.meanGates[0]).toEqual([1, 0.5, 0.5]);
    // Counted, the undecided run's layer-2 head 1 (gate 0.02 > 1e-3) is kept in 1 of pos's 2
    // runs: at least half, so pos claims it.
    const counted = analyzeOverlap(
      [
        decided('pos', POS_DECIDED, 1),
        decided('pos', UNDECIDED, 2),
        decided('ner', NER_DECIDED, 1),
      ],
      { includeUndecided: true },
    );
    expect(counted.excludedUndecided).toEqual([]);
    expect(counted.tasks[0]?.runs).toEqual(['pos-s1', 'pos-s2']);
    expect(counted.claimedByTasks[1]).toEqual([1, 0, 0]);
  });

  it('returns an empty comparison instead of throwing when every run is undecided', async () => {
    const runs = [decided('pos', UNDECIDED, 1), decided('ner', UNDECIDED, 1)];
    const result = analyzeOverlap(runs, { random: new SeededRandom(3) });
    expect(result.tasks).toEqual([]);
    expect(result.stemCells).toEqual([]);
    expect(result.claimedByTasks).toEqual([]);
    expect(result.sharing).toBeUndefined();
    expect(result.correlation.tasks).toEqual([]);
    expect(result.seedCoupling.sameSeed).toEqual({ meanR: null, pairs: 0 });
    expect(result.excludedUndecided).toHaveLength(2);
    expect(result.notes.at(-1)).toMatch(/nothing to compare/);
    expect([result.layers, result.heads]).toEqual([2, 3]);

    const root = await mkdtemp(join(tmpdir(), 'stem-overlap-empty-'));
    const directories = [join(root, 'pos'), join(root, 'ner')];
    await writePruningSummary(directories[0] as string, summaryOf('pos', 1, UNDECIDED));
    await writePruningSummary(directories[1] as string, summaryOf('ner', 1, UNDECIDED));
    const { files } = await overlapOfRuns(directories, join(root, 'overlap'));
    expect(files.map((f) => f.slice(root.length))).toEqual([join('/overlap', 'overlap.json')]);
  });

  it('runs the sharing test over single-task runs only with a random stream, and notes why not', () => {
    const runs = [
      decided('pos', POS_DECIDED, 1),
      decided('ner', NER_DECIDED, 1),
      { source: 'mtl', tasks: ['pos', 'ner'], seed: 1, gates: POS_DECIDED },
    ];
    const withoutRandom = analyzeOverlap(runs);
    expect(withoutRandom.sharing).toBeUndefined();
    expect(withoutRandom.notes).toContain(
      'sharing test skipped: no random stream given (options.random)',
    );
    const tested = analyzeOverlap(runs, {
      random: new SeededRandom(7).fork('overlap/sharing'),
      draws: 300,
      seed: 7,
    });
    expect(tested.sharing?.tasks).toEqual([
      { task: 'pos', runs: 1, claimed: 2 },
      { task: 'ner', runs: 1, claimed: 2 },
    ]);
    expect(tested.sharing).toMatchObject({ draws: 300, seed: 7, layers: 2, heads: 3 });
    expect(tested.notes.some((n) => /MTL runs are left out/.test(n))).toBe(true);
    // overlap.json's stem cells compare the three groups given (the MTL group counts as one).
    expect(tested.correlation.tasks).toEqual(['pos', 'ner', 'pos+ner']);
    expect(tested.stemCells).toEqual([{ layer: 0, head: 0 }]);
    const oneTask = analyzeOverlap([decided('pos', POS_DECIDED, 1)], {
      random: new SeededRandom(7),
    });
    expect(oneTask.sharing).toBeUndefined();
    expect(oneTask.notes.some((n) => /at least two tasks, got 1/.test(n))).toBe(true);
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
      undecidedGates: gates.flat().filter((g) => g > 0 && g < 1).length,
      totalHeads: 6,
      keptFraction: keptHeads / 6,
      keptFractionPerLayer: kept.map((row) => row.reduce<number>((n, k) => n + k, 0) / 3),
    },
    evaluations: [],
    primary: { [task]: 'accuracy' },
    scores: { gated: { dev: {} }, open: { dev: {} } },
  };
}
