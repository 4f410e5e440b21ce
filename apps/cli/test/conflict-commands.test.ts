import { mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cliNotBuilt, envelope, isolatedHome, runStem } from './run-stem.js';

// `stem conflict <run>` (post-hoc gradient agreement on a finished MTL run's checkpoint) and
// `stem conflict compare` (a pruning overlap's head set against the other heads), on a tiny
// two-task run trained here with the meter measuring after every update.
const fixture = fileURLToPath(new URL('./fixtures/configs/mtl-tiny.yaml', import.meta.url));

interface Head {
  norms: Record<string, number>;
  cosine: Record<string, number | null>;
  conflict: number;
}
interface Measurement {
  update: number;
  step: number;
  pairs: string[];
  losses: Record<string, number>;
  probeSentences: Record<string, number>;
  heads: Head[][];
}
interface Comparison {
  inside: { heads: number; mean: number };
  outside: { heads: number; mean: number };
  difference: number;
  pValue: number;
  nullInterval95: [number, number];
  measurements: number;
}

/** 2 layers x 4 heads; the stem cells and claim counts of a hand-written overlap.json. */
const STEM_CELLS = [
  { layer: 0, head: 1 },
  { layer: 1, head: 0 },
  { layer: 1, head: 3 },
];
const CLAIMED_BY_TASKS = [
  [1, 2, 0, 2],
  [2, 0, 1, 2],
];

const meanCosine = (head: Head) => head.cosine['xpos|upos'] as number;
const average = (values: number[]) => values.reduce((s, v) => s + v, 0) / values.length;

describe.skipIf(cliNotBuilt('commands/conflict/index.js'))('stem conflict', () => {
  let env: NodeJS.ProcessEnv;
  let work: string;
  let run: string;
  let overlap: string;

  beforeAll(async () => {
    env = await isolatedHome();
    work = await mkdtemp(join(tmpdir(), 'stem-conflict-cli-'));
    const config = (await readFile(fixture, 'utf8'))
      .replace(
        'limit: { train: 300, dev: 50, test: 50 }',
        'limit: { train: 48, dev: 16, test: 16 }',
      )
      .replace(
        'limit: { train: 150, dev: 50, test: 50 }',
        'limit: { train: 32, dev: 16, test: 16 }',
      )
      .replace('epochs: 2', 'epochs: 1')
      .replace('layers: 1,', 'layers: 2,')
      .replace('heads: 2,', 'heads: 4,');
    expect(config).toContain('heads: 4');
    const file = join(work, 'meter.yaml');
    await writeFile(
      file,
      `${config}trainingComponents:\n  conflict: { type: stem.training.gradient-conflict.v1, every: 1, probeSentences: 8 }\n`,
    );
    const trained = await runStem(
      ['train', '-c', file, '--set', `output.directory=${join(work, 'runs')}`, '--json'],
      env,
    );
    expect(trained.code, trained.stderr).toBe(0);
    run = envelope<{ runDirectory: string }>(trained).result.runDirectory;
    overlap = join(work, 'overlap.json');
    await writeFile(
      overlap,
      JSON.stringify({
        layers: 2,
        heads: 4,
        tasks: [{ task: 'pos' }, { task: 'dep' }],
        claimedByTasks: CLAIMED_BY_TASKS,
        stemCells: STEM_CELLS,
      }),
    );
  }, 120_000);
  afterAll(() => rm(work, { recursive: true, force: true }));

  const readJson = async <T>(file: string) => JSON.parse(await readFile(file, 'utf8')) as T;
  const inTraining = async () => {
    const folder = join(run, 'analyses', 'conflict');
    const files = (await readdir(folder)).filter((f) => f.startsWith('update-')).sort();
    return Promise.all(files.map((f) => readJson<Measurement>(join(folder, f))));
  };

  it('measures the last checkpoint post hoc with the numbers the meter had at that update', async () => {
    const result = await runStem(['conflict', run, '--checkpoint', 'last', '--json'], env);
    expect(result.code, result.stderr).toBe(0);
    const { measurements } = envelope<{
      measurements: Array<{ file: string; measurement: Measurement }>;
    }>(result).result;
    expect(measurements).toHaveLength(1);
    const file = join(run, 'analyses', 'conflict', 'posthoc-last.json');
    expect(measurements[0]!.file).toBe(file);
    const posthoc = await readJson<Measurement & { checkpoint: string }>(file);
    expect(posthoc.checkpoint).toBe('last');
    const state = await readJson<{ optimizerUpdates: number; globalStep: number }>(
      join(run, 'checkpoints', 'last', 'state.json'),
    );
    expect(posthoc.update).toBe(state.optimizerUpdates);
    expect(posthoc.step).toBe(state.globalStep);
    // The meter measured after the last update too, on the same probe sentences: same numbers.
    const metered = (await inTraining()).find((m) => m.update === state.optimizerUpdates)!;
    expect(metered).toBeDefined();
    expect(posthoc.pairs).toEqual(['xpos|upos']);
    expect(posthoc.heads.map((row) => row.length)).toEqual([4, 4]);
    for (const task of ['xpos', 'upos'])
      expect(posthoc.losses[task]).toBeCloseTo(metered.losses[task]!, 6);
    posthoc.heads.flat().forEach((head, k) => {
      const twin = metered.heads.flat()[k]!;
      expect(Math.abs(meanCosine(head))).toBeLessThanOrEqual(1);
      expect(meanCosine(head)).toBeCloseTo(meanCosine(twin), 6);
      expect(head.norms.xpos).toBeCloseTo(twin.norms.xpos!, 6);
      expect(head.conflict).toBe(twin.conflict);
    });
  }, 60_000);

  it('takes --probe-sentences, --seed and --out: another probe batch, another file', async () => {
    const out = join(work, 'posthoc');
    const result = await runStem(
      [
        'conflict',
        run,
        '--checkpoint',
        'last',
        '--probe-sentences',
        '4',
        '--seed',
        '5',
        '--out',
        out,
      ],
      env,
    );
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout).toMatch(/layer\s+cos xpos\|upos\s+conflict/);
    const posthoc = await readJson<Measurement>(join(out, 'posthoc-last.json'));
    expect(posthoc.probeSentences).toEqual({ xpos: 4, upos: 4 });
    const own = await readJson<Measurement>(join(run, 'analyses', 'conflict', 'posthoc-last.json'));
    expect(own.probeSentences).toEqual({ xpos: 8, upos: 8 });
    expect(posthoc.losses.xpos).not.toBeCloseTo(own.losses.xpos!, 6);
  }, 60_000);

  it('compares the stem cells with the other heads on the run’s in-training measurements', async () => {
    const measurements = await inTraining();
    // Per head: mean cosine over the measurements, then means inside and outside the set.
    const perHead = measurements[0]!.heads.map((row, l) =>
      row.map((_, h) => average(measurements.map((m) => meanCosine(m.heads[l]![h]!)))),
    );
    const inside = STEM_CELLS.map(({ layer, head }) => perHead[layer]![head]!);
    const outside = perHead
      .flatMap((row, l) => row.map((value, h) => ({ value, l, h })))
      .filter(({ l, h }) => !STEM_CELLS.some((c) => c.layer === l && c.head === h))
      .map(({ value }) => value);
    const compare = async (seed: string) => {
      const result = await runStem(
        [
          'conflict',
          'compare',
          run,
          '--overlap',
          overlap,
          '--statistic',
          'cosine',
          '--seed',
          seed,
          '--permutations',
          '2000',
          '--json',
        ],
        env,
      );
      expect(result.code, result.stderr).toBe(0);
      return envelope<Comparison>(result).result;
    };
    const first = await compare('7');
    expect(first.measurements).toBe(measurements.length);
    expect(first.inside.heads).toBe(3);
    expect(first.outside.heads).toBe(5);
    expect(first.inside.mean).toBeCloseTo(average(inside), 10);
    expect(first.outside.mean).toBeCloseTo(average(outside), 10);
    expect(first.difference).toBeCloseTo(average(inside) - average(outside), 10);
    expect(first.pValue).toBeGreaterThan(0);
    expect(first.pValue).toBeLessThanOrEqual(1);
    expect(first.nullInterval95[0]).toBeLessThan(first.nullInterval95[1]);
    const again = await compare('7');
    expect(again.pValue).toBe(first.pValue);
    expect(again.nullInterval95).toEqual(first.nullInterval95);
  }, 60_000);

  it('takes the heads kept by at least k tasks, and a posthoc file as the source', async () => {
    const file = join(run, 'analyses', 'conflict', 'posthoc-last.json');
    const posthoc = await readJson<Measurement>(file);
    const result = await runStem(
      [
        'conflict',
        'compare',
        file,
        '--overlap',
        overlap,
        '--min-tasks',
        '2',
        '--statistic',
        'cosine',
        '--json',
      ],
      env,
    );
    expect(result.code, result.stderr).toBe(0);
    const comparison = envelope<Comparison>(result).result;
    const inSet = posthoc.heads.flatMap((row, l) =>
      row.filter((_, h) => CLAIMED_BY_TASKS[l]![h]! >= 2).map(meanCosine),
    );
    expect(comparison.measurements).toBe(1);
    expect(comparison.inside.heads).toBe(4);
    expect(comparison.inside.mean).toBeCloseTo(average(inSet), 10);
  }, 30_000);

  it('refuses a single-task run, a missing directory and a file that is not an overlap', async () => {
    // A single-task run's directory: the manifest is what is read before anything is loaded.
    const single = join(work, 'single-task-run');
    await mkdir(single);
    const manifest = await readJson<{ config: { tasks: Record<string, unknown> } }>(
      join(run, 'manifest.json'),
    );
    delete manifest.config.tasks.upos;
    await writeFile(join(single, 'manifest.json'), JSON.stringify(manifest));
    const singleRun = envelope(await runStem(['conflict', single, '--json'], env));
    expect(singleRun.error?.code).toBe('RUN_INVALID');
    expect(singleRun.error?.message).toContain('at least two tasks');

    const missing = join(work, 'no-such-run');
    const missingRun = envelope(await runStem(['conflict', missing, '--json'], env));
    expect(missingRun.error?.code).toBe('RUN_INVALID');
    expect(missingRun.error?.message).toContain(missing);

    const notOverlap = join(run, 'manifest.json');
    const badOverlap = envelope(
      await runStem(['conflict', 'compare', run, '--overlap', notOverlap, '--json'], env),
    );
    expect(badOverlap.ok).toBe(false);
    expect(badOverlap.error?.code).toBe('INPUT_INVALID');
    expect(badOverlap.error?.message).toContain(`${notOverlap}: not a pruning overlap`);
  }, 30_000);
});
