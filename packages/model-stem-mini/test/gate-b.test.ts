import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { stemMiniDirectory, stemMiniQualityGatesFile } from '../index.js';

// Quality gate (b): STL POS on ud-ewt from stem-mini vs a random encoder of the same shape.
// Its runs are committed in training/gate-b/<run>/ (config.yaml, manifest.json, metrics.ndjson,
// results.json); every gate (b) number of MODEL_CARD.md and model/quality-gates.json is
// recomputed here from those files.

const packageFile = (name: string) => fileURLToPath(new URL(`../${name}`, import.meta.url));
const RUNS_FOLDER = packageFile('training/gate-b');
const card = readFileSync(packageFile('MODEL_CARD.md'), 'utf8');
const gates = JSON.parse(readFileSync(stemMiniQualityGatesFile, 'utf8')) as {
  passed: boolean;
  gates: Array<{ id: string; passed: boolean; result: string; measured: Record<string, number> }>;
};
const gateB = gates.gates.find((g) => g.id === 'b')!;

interface Manifest {
  name: string;
  createdAt: string;
  config: {
    name: string;
    encoder: { path?: string; architecture?: Record<string, unknown> };
    tasks: Record<string, { dataset: { type: string }; limit?: Record<string, number> }>;
    trainer: { encoderLearningRate: number; headLearningRate: number; epochs: number };
  };
  backend: { backend: string; nativeKernels?: { active: boolean; threads: number } };
}

interface GateRun {
  name: string;
  encoder: 'stem-mini' | 'random';
  manifest: Manifest;
  encoderRate: number;
  devPercent: number;
  testPercent: number;
  testWords: number;
  wallMinutes: number;
  config: string;
}

const readJson = <T>(path: string) => JSON.parse(readFileSync(path, 'utf8')) as T;

function readRun(name: string): GateRun {
  const folder = join(RUNS_FOLDER, name);
  const manifest = readJson<Manifest>(join(folder, 'manifest.json'));
  type Scores = { pos: { scores: { accuracy: number; tokens: number } } };
  const results = readJson<{ dev: Scores; test: Scores }>(join(folder, 'results.json'));
  const events = readFileSync(join(folder, 'metrics.ndjson'), 'utf8')
    .trim()
    .split('\n')
    .map((line) => JSON.parse(line) as { time: string; event: string });
  // The run ends with its test evaluation: the last line of its metrics.
  if (events.at(-1)?.event !== 'end')
    throw new Error(`${folder}: metrics.ndjson does not end the run`);
  const seconds = (Date.parse(events.at(-1)!.time) - Date.parse(manifest.createdAt)) / 1000;
  return {
    name,
    encoder: manifest.config.encoder.path ? 'stem-mini' : 'random',
    manifest,
    encoderRate: manifest.config.trainer.encoderLearningRate,
    devPercent: 100 * results.dev.pos.scores.accuracy,
    testPercent: 100 * results.test.pos.scores.accuracy,
    testWords: results.test.pos.scores.tokens,
    wallMinutes: Math.round(seconds / 60),
    config: readFileSync(join(folder, 'config.yaml'), 'utf8'),
  };
}

const runs = existsSync(RUNS_FOLDER)
  ? readdirSync(RUNS_FOLDER, { withFileTypes: true })
      .filter((d) => d.isDirectory())
      .map((d) => readRun(d.name))
  : [];
/** Per encoder, the run at the rate tuned on dev: the gate's score. */
const chosen = (encoder: GateRun['encoder']) =>
  runs.filter((r) => r.encoder === encoder).sort((a, b) => b.devPercent - a.devPercent)[0]!;

const section = card.slice(card.indexOf('### Gate (b) runs'));
const sectionText = section.slice(0, section.indexOf('\n#', 5));
const tableRows = sectionText
  .split('\n')
  .filter((line) => line.startsWith('| `'))
  .map((line) => ({
    bold: line.includes('**'),
    cells: line
      .split('|')
      .slice(1, -1)
      .map((cell) => cell.trim().replace(/\*\*/g, '').replace(/`/g, '')),
  }));

const fixed = (value: number, digits = 2) => value.toFixed(digits);
/** "3e-4" for 0.0003, as the card writes rates. */
const rateText = (rate: number) => rate.toExponential();
const signed = (value: number) => `${value >= 0 ? '+' : ''}${fixed(value)}`;

describe('gate (b) runs in training/gate-b', () => {
  it('holds two runs of each encoder, stem-mini and a random encoder of the same shape, with their configs', () => {
    expect(runs.filter((r) => r.encoder === 'stem-mini')).toHaveLength(2);
    expect(runs.filter((r) => r.encoder === 'random')).toHaveLength(2);
    const shape = readJson<Record<string, number>>(join(stemMiniDirectory, 'config.json'));
    for (const run of runs) {
      expect(run.manifest.config.name).toBe(run.name);
      // config.yaml is the one the run was made from: same name and encoder rate.
      expect(run.config).toMatch(new RegExp(`^name: ${run.name}$`, 'm'));
      expect(Number(/^\s+encoderLearningRate: (\S+)$/m.exec(run.config)![1])).toBe(run.encoderRate);
      expect(run.manifest.config.tasks['pos']!.dataset.type).toBe('stem.dataset.ud-ewt.v1');
      if (run.encoder === 'random')
        expect(run.manifest.config.encoder.architecture).toMatchObject({
          layers: shape['num_hidden_layers'],
          heads: shape['num_attention_heads'],
          hidden: shape['hidden_size'],
          intermediate: shape['intermediate_size'],
        });
    }
  });

  it("the card's table is the runs: rates, dev and test accuracy, wall time, bold at each encoder's best dev rate", () => {
    expect(tableRows.map((r) => r.cells[0]).sort()).toEqual(runs.map((r) => r.name).sort());
    for (const row of tableRows) {
      const run = runs.find((r) => r.name === row.cells[0])!;
      const [, encoder, rate, dev, test, wall] = row.cells;
      expect(encoder).toBe(run.encoder === 'stem-mini' ? 'stem-mini' : 'random (same shape)');
      expect(rate).toBe(rateText(run.encoderRate));
      expect(dev).toBe(fixed(run.devPercent));
      expect(test).toBe(fixed(run.testPercent));
      expect(wall).toBe(`${run.wallMinutes} min`);
      expect(row.bold).toBe(chosen(run.encoder) === run);
    }
  });

  it('says what the runs were measured on: backend, threads and the test split', () => {
    const text = sectionText.replace(/\s+/g, ' ');
    for (const run of runs) {
      expect(run.manifest.backend.backend).toBe('wasm');
      expect(run.manifest.backend.nativeKernels).toMatchObject({ active: true, threads: 1 });
      expect(text).toContain(`(${run.testWords.toLocaleString('en-US')} words)`);
    }
    expect(text).toContain('native OpenBLAS kernels on one thread');
  });
});

describe('gate (b) in MODEL_CARD.md and quality-gates.json follows from the runs', () => {
  const mini = chosen('stem-mini');
  const random = chosen('random');
  const devMargin = mini.devPercent - random.devPercent;
  const testMargin = mini.testPercent - random.testPercent;
  const required = gateB.measured['requiredMarginPoints']!;
  const passes = devMargin >= required && testMargin >= required;

  it("the card's gate row quotes the chosen runs and their margins, and its verdict is both margins >= 2 points", () => {
    const row = card.split('\n').find((line) => line.startsWith('| (b) '))!;
    expect(row).toContain(
      `stem-mini ${fixed(mini.devPercent)} dev / ${fixed(mini.testPercent)} test vs random ${fixed(random.devPercent)} / ${fixed(random.testPercent)}`,
    );
    expect(row).toContain(
      `**${passes ? 'passes' : 'fails'} by ${fixed(devMargin, 1)} points on dev, ${fixed(testMargin, 1)} on test**`,
    );
    expect(row).toContain('by 2 points or more');
    expect(required).toBe(2);
  });

  it('quality-gates.json measures the same numbers and passes exactly when both margins reach 2 points', () => {
    expect(gateB.measured).toEqual({
      requiredMarginPoints: 2,
      stemMiniDevPercent: Number(fixed(mini.devPercent)),
      stemMiniTestPercent: Number(fixed(mini.testPercent)),
      randomDevPercent: Number(fixed(random.devPercent)),
      randomTestPercent: Number(fixed(random.testPercent)),
    });
    expect(gateB.result).toBe(
      `stem-mini ${fixed(mini.devPercent)} dev / ${fixed(mini.testPercent)} test vs random ${fixed(random.devPercent)} / ${fixed(random.testPercent)}: ${signed(devMargin)} dev, ${signed(testMargin)} test`,
    );
    expect(gateB.passed).toBe(passes);
  });

  it('any other mention of the margin over the random twin in the card is the test margin', () => {
    const text = card.replace(/\s+/g, ' ');
    for (const mention of text.matchAll(/POS ([+-][\d.]+) points over its random twin/g))
      expect(mention[1]).toBe(`${testMargin >= 0 ? '+' : ''}${fixed(testMargin, 1)}`);
  });
});
