import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { renderReport, type StudyReport } from '../src/index.js';
import { pText } from '../src/report/claim-verdict.js';
import { formatHeadline } from '../src/report/study-headline.js';

const TASKS = ['pos', 'ner', 'dep', 'con'];
const PAIRS = ['pos|ner', 'pos|dep', 'pos|con', 'ner|dep', 'ner|con', 'dep|con'];

/** Conflict per head ([2 layers][3 heads]) of each measurement of the two MTL runs. */
const MEASURED: Record<string, Record<number, number[][]>> = {
  'mtl4-s1': {
    10: [
      [0.5, 0.25, 0],
      [0, 0.25, 0.75],
    ],
    20: [
      [0.75, 0.25, 0],
      [0.25, 0, 0.5],
    ],
  },
  'mtl4-s2': {
    10: [
      [0.25, 0.5, 0],
      [0, 0.25, 1],
    ],
    20: [
      [0.5, 0, 0.25],
      [0, 0, 0.75],
    ],
  },
};

const scratch = mkdtempSync(join(tmpdir(), 'stem-report-conflict-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

function writeJson(file: string, value: unknown) {
  mkdirSync(dirname(file), { recursive: true });
  writeFileSync(file, JSON.stringify(value));
}

/** A measurement as the meter writes it; pos|ner's cosine is 1 - 2 x conflict, the others 0.1. */
function measurement(update: number, tasks: string[], pairs: string[], conflict: number[][]) {
  return {
    update,
    step: update,
    tasks,
    pairs,
    losses: Object.fromEntries(tasks.map((t) => [t, 1])),
    probeSentences: Object.fromEntries(tasks.map((t) => [t, 4])),
    gates: [],
    heads: conflict.map((row) =>
      row.map((c) => ({
        norms: Object.fromEntries(tasks.map((t) => [t, 1])),
        cosine: Object.fromEntries(pairs.map((p) => [p, p === 'pos|ner' ? 1 - 2 * c : 0.1])),
        conflict: c,
        shares: Object.fromEntries(tasks.map((t) => [t, 1 / tasks.length])),
      })),
    ),
    summary: { meanConflict: 0, meanCosine: {} },
  };
}

describe('the report of a study with gradient-conflict measurements', () => {
  let report: StudyReport;
  let html: string;
  beforeAll(async () => {
    for (const [run, updates] of Object.entries(MEASURED))
      for (const [update, conflict] of Object.entries(updates))
        writeJson(
          join(scratch, 'runs', run, 'analyses', 'conflict', `update-${update}.json`),
          measurement(Number(update), TASKS, PAIRS, conflict),
        );
    // A pair run: measured, but not one of the runs over every task the maps average.
    writeJson(
      join(scratch, 'runs', 'pair-pos+ner-s1', 'analyses', 'conflict', 'update-10.json'),
      measurement(
        10,
        ['pos', 'ner'],
        ['pos|ner'],
        [
          [1, 1, 1],
          [1, 1, 1],
        ],
      ),
    );
    writeJson(join(scratch, 'analyses', 'overlap', 'overlap.json'), {
      tasks: TASKS.map((task) => ({
        task,
        meanGates: [
          [1, 1, 1],
          [1, 1, 1],
        ],
      })),
      claimedByTasks: [
        [4, 3, 1],
        [0, 2, 4],
      ],
      stemCellDefinition: 'claimed by every task',
      stemCells: [
        { layer: 0, head: 0 },
        { layer: 1, head: 2 },
      ],
    });
    report = await renderReport([scratch], { out: join(scratch, 'report') });
    html = readFileSync(report.files.index, 'utf8');
  });

  it('averages over measurements, then over the runs over every task (the pair run left out)', () => {
    const conflict = report.headline.conflict!;
    expect(conflict.runs).toEqual(['mtl4-s1', 'mtl4-s2']);
    expect(conflict.measurements).toBe(4);
    // Per run: s1 [[0.625, 0.25, 0], [0.125, 0.125, 0.625]], s2 [[0.375, 0.25, 0.125], [0, 0.125, 0.875]].
    expect(conflict.meanConflict).toEqual([
      [0.5, 0.25, 0.0625],
      [0.0625, 0.125, 0.75],
    ]);
    expect(conflict.meanCosine['pos|ner']![1]![2]).toBeCloseTo(1 - 2 * 0.75);
    expect(conflict.meanCosine['dep|con']![0]![0]).toBeCloseTo(0.1);
    // Stem cells (L1H1, L2H3) against the rest, at each update: mean over runs of per-run means.
    expect(conflict.curve.map((p) => p.update)).toEqual([10, 20]);
    expect(conflict.curve[0]!.stemCells).toBeCloseTo(0.625);
    expect(conflict.curve[0]!.others).toBeCloseTo((0.125 + 0.1875) / 2);
    expect(conflict.curve[1]!.others).toBeCloseTo((0.125 + 0.0625) / 2);
  });

  it('tests the stem cells and the heads claimed by >= 3 tasks against the other heads', () => {
    const [stem, claimed] = report.headline.conflict!.headSets;
    if (typeof stem!.test === 'string' || typeof claimed!.test === 'string')
      throw new Error('both head sets should be tested');
    expect(stem!.test.inside).toEqual({ heads: 2, mean: (0.5 + 0.75) / 2 });
    expect(stem!.test.outside.mean).toBeCloseTo((0.25 + 0.0625 + 0.0625 + 0.125) / 4);
    expect(stem!.test.difference).toBeCloseTo(0.5);
    // The two stem cells are the two most conflicted heads: 1 of the 15 two-head sets is as
    // extreme, so the permutation p is about 1/15.
    expect(stem!.test.p).toBeGreaterThan(1 / 15 - 0.01);
    expect(stem!.test.p).toBeLessThan(1 / 15 + 0.01);
    expect(claimed!.name).toBe('claimed by ≥ 3 tasks');
    expect(claimed!.test.inside.mean).toBeCloseTo((0.5 + 0.25 + 0.75) / 3);
    expect(claimed!.test.outside.mean).toBeCloseTo((0.0625 + 0.0625 + 0.125) / 3);
    const table = readFileSync(
      join(scratch, 'report', 'tables', 'gradient-conflict-head-sets.md'),
      'utf8',
    );
    expect(table).toContain('| stem cells | 2 of 6 | 0.625 | 0.125 | +0.500 |');
    expect(table).toContain('| claimed by ≥ 3 tasks | 3 of 6 | 0.500 | 0.083 | +0.417 |');
    expect(table).toContain('seed 1');
  });

  it('draws the section: heat maps overall and per pair, the curve and the table', () => {
    const section = html.slice(html.indexOf('<section id="conflict">'));
    expect(section.length).toBeLessThan(html.length);
    const end = section.indexOf('</section>');
    const body = section.slice(0, end);
    expect(body.match(/<figure class="panel">/g)).toHaveLength(1 + PAIRS.length);
    expect(body).toContain('Overall: mean conflict per head');
    expect(body).toContain('pos vs ner: mean cosine');
    expect(body).toContain('data-series="stem-cell heads"');
    expect(body).toContain('data-series="other heads"');
    expect(body).toContain('Claimed heads vs gradient conflict');
    expect(html).toContain('<a href="#conflict">Gradient conflict</a>');
  });

  it('adds one headline line with the stem-cell and other-head means and the p-value', () => {
    const stem = report.headline.conflict!.headSets[0]!.test;
    if (typeof stem === 'string') throw new Error(stem);
    const lines = formatHeadline(report.headline).filter((l) => l.startsWith('Gradient conflict'));
    expect(lines).toEqual([
      `Gradient conflict (2 run(s), 4 measurements): stem-cell heads 0.625 vs other heads 0.125 (mean conflict), permutation p = ${pText(stem.p)} (10000 draws, seed 1): inconclusive (within the permutation noise)`,
    ]);
  });
});

describe('the stem-cell conflict test on its own', () => {
  it('calls a side only when the permutation p is below 0.05', async () => {
    const { headSetTest } = await import('../src/report/head-set-permutation.js');
    const { conflictVerdict } = await import('../src/report/study-headline.js');
    const { SeededRandom } = await import('@stem/core');
    // 4 x 5 heads; the set is the four most conflicted: 1 of C(20, 4) = 4845 sets is as extreme.
    const values = Array.from({ length: 4 }, (_, l) =>
      Array.from({ length: 5 }, (_, h) => (l === h ? 0.9 : 0.1 + 0.01 * (l * 5 + h))),
    );
    const inSet = values.map((row, l) => row.map((_, h) => l === h));
    const test = headSetTest(values, inSet, { draws: 2000, random: new SeededRandom(1) });
    if (typeof test === 'string') throw new Error(test);
    expect(test.p).toBeLessThan(0.01);
    expect(conflictVerdict(test)).toBe('the stem cells conflict more than the other heads');
    const flipped = values.map((row) => row.map((v) => 1 - v));
    const lower = headSetTest(flipped, inSet, { draws: 2000, random: new SeededRandom(1) });
    if (typeof lower === 'string') throw new Error(lower);
    expect(conflictVerdict(lower)).toBe('the stem cells conflict less than the other heads');
    expect(
      headSetTest(
        values,
        values.map((row) => row.map(() => true)),
        {
          draws: 10,
          random: new SeededRandom(1),
        },
      ),
    ).toMatch(/both sides/);
  });
});
