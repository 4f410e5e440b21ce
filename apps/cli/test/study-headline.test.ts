import { mkdtemp, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { paperClaims } from '../src/report/paper-claims.js';
import { collectStudy } from '../src/report/study-files.js';
import {
  atLeast,
  formatHeadline,
  middleLayers,
  studyHeadline,
  type StudyHeadline,
} from '../src/report/study-headline.js';
import { envelope, isolatedHome, repositoryRoot, runStem } from './run-stem.js';
import { probeResult, writeModel, writeOverlap, writeProbe, writeRun } from './study-fixtures.js';

const STEM_MINI = join(repositoryRoot, 'packages', 'model-stem-mini', 'model');
const RANDOM_ENCODER = {
  architecture: {
    arch: 'bert',
    layers: 4,
    heads: 2,
    hidden: 8,
    maxPositions: 64,
    tokenizer: 'tok',
  },
};

/** Sample standard deviation, written out for the hand computations below. */
const sampleStd = (a: number, b: number) => Math.abs(a - b) / Math.SQRT2;

// Gates of the pruning runs, [layer][head] for 4 layers x 2 heads (1e-3 is the keep threshold).
const GATES: Record<string, number[][][]> = {
  // Kept: L2H1 + L3H1 (0.0011 > 1e-3), then L2H1 only (0.0009 is not kept): 2/8 and 1/8.
  pos: [
    [
      [0, 0],
      [0.9, 0],
      [0.0011, 0],
      [0, 0],
    ],
    [
      [0, 0],
      [0.8, 0],
      [0.0009, 0],
      [0, 0],
    ],
  ],
  // L1H1 + L2H1 + L3H1 twice, L2H1 + L3H1 + L4H1 once: 3/8 each; L1H1 kept by 2 of 3 runs.
  dep: [
    [
      [0.5, 0],
      [0.9, 0],
      [0.7, 0],
      [0, 0],
    ],
    [
      [0.6, 0],
      [1, 0],
      [0.9, 0],
      [0, 0],
    ],
    [
      [0, 0],
      [0.9, 0],
      [0.9, 0],
      [0.3, 0],
    ],
  ],
  // L2H1 + L3H1 in both runs: 2/8.
  ner: [
    [
      [0, 0],
      [0.9, 0],
      [0.9, 0],
      [0, 0.0005],
    ],
    [
      [0, 0],
      [0.9, 0],
      [0.9, 0],
      [0, 0],
    ],
  ],
};
const MTL_DP_GATES = [
  [1, 0],
  [1, 1],
  [1, 0],
  [0, 0],
];

/**
 * A complete small study on an encoder that passed its gates: STL runs (pos 2 seeds, dep 2,
 * ner 1 finished + 1 unfinished), MTL-3 (2 seeds), STL-DP per task, one MTL-DP run, static /
 * STL / MTL probes, and overlap.json.
 */
async function writeFullStudy(root: string): Promise<string> {
  await writeModel(join(root, 'models', 'good'), { passed: [true, true, true] });
  // Relative, as a config names it: found from the folders above the runs.
  const encoder = { path: 'models/good', weights: 'pretrained' };
  const study = join(root, 'study');
  const runs = join(study, 'runs');
  const run = (name: string) => join(runs, name);
  const stl: Array<[string, number, Record<string, number>]> = [
    ['pos-s1', 1, { pos: 0.9 }],
    ['pos-s2', 2, { pos: 0.94 }],
    ['dep-s1', 1, { dep: 0.8 }],
    ['dep-s2', 2, { dep: 0.84 }],
    ['ner-s1', 1, { ner: 0.7 }],
    ['mtl-s1', 1, { pos: 0.88, ner: 0.6, dep: 0.83 }],
    ['mtl-s2', 2, { pos: 0.9, ner: 0.64, dep: 0.85 }],
  ];
  for (const [name, seed, scores] of stl)
    await writeRun({ directory: run(name), seed, scores, encoder });
  await writeRun({
    directory: run('ner-s2'),
    seed: 2,
    scores: { ner: undefined },
    encoder,
    finished: false,
  });
  const pruning: Array<{ source: string; tasks: string[]; seed: number; gates: number[][] }> = [];
  for (const [task, runsOfTask] of Object.entries(GATES))
    for (const [k, gates] of runsOfTask.entries()) {
      const directory = run(`${task}-dp-s${k + 1}`);
      // Pruning runs score low: they must not count as STL.
      await writeRun({ directory, seed: k + 1, scores: { [task]: 0.1 }, encoder, gates });
      pruning.push({ source: directory, tasks: [task], seed: k + 1, gates });
    }
  const mtlDp = run('mtl-dp-s1');
  await writeRun({
    directory: mtlDp,
    seed: 1,
    scores: { pos: 0.1, ner: 0.1, dep: 0.1 },
    encoder,
    gates: MTL_DP_GATES,
  });
  pruning.push({ source: mtlDp, tasks: ['pos', 'ner', 'dep'], seed: 1, gates: MTL_DP_GATES });
  await writeOverlap(join(study, 'overlap', 'overlap.json'), pruning);

  const inRun = (name: string, task: string, folder = 'probe') =>
    join(run(name), 'analyses', folder, `probe-${task}.json`);
  const ofRun = (name: string) => ({
    model: run(name),
    kind: 'run',
    dataset: 'stem.dataset.ud-ewt.v1',
  });
  const staticSource = { model: 'models/good', kind: 'static', dataset: 'stem.dataset.ud-ewt.v1' };
  await writeProbe(
    join(study, 'probes', 'static', 'probe-pos.json'),
    probeResult('pos', { NN: 0.5, DT: 0.7 }, staticSource),
  );
  await writeProbe(
    join(study, 'probes', 'static', 'probe-dep.json'),
    probeResult('dep', { root: 0.4, nsubj: 0.4 }, staticSource),
  );
  await writeProbe(
    inRun('pos-s1', 'pos'),
    probeResult('pos', { NN: 0.95, DT: 0.85 }, ofRun('pos-s1')),
  );
  // The same run probed by its config's analyzer too: counted once (stem probe's result).
  await writeProbe(inRun('pos-s1', 'pos', 'probe-pos'), probeResult('pos', { NN: 0.1, DT: 0.1 }));
  // Outside the run, naming it relative to the study folder (as stem study does).
  await writeProbe(
    join(study, 'probes', 'pos-s2', 'probe-pos.json'),
    probeResult('pos', { NN: 0.9, DT: 0.82 }, { model: 'runs/pos-s2', kind: 'run' }),
  );
  await writeProbe(
    inRun('mtl-s1', 'pos'),
    probeResult('pos', { NN: 0.6, DT: 0.8 }, ofRun('mtl-s1')),
  );
  await writeProbe(
    inRun('mtl-s2', 'pos'),
    probeResult('pos', { NN: 0.64, DT: 0.84 }, ofRun('mtl-s2')),
  );
  await writeProbe(
    inRun('dep-s1', 'dep'),
    probeResult('dep', { root: 0.5, nsubj: 0.4 }, ofRun('dep-s1')),
  );
  // A probe of a pruning run is not an STL probe.
  await writeProbe(
    inRun('pos-dp-s1', 'pos'),
    probeResult('pos', { NN: 0.99, DT: 0.99 }, ofRun('pos-dp-s1')),
  );
  return study;
}

async function headlineOf(paths: string[]): Promise<StudyHeadline> {
  return studyHeadline(await collectStudy(paths));
}

describe('study headline', () => {
  let root: string;
  let study: string;
  let headline: StudyHeadline;

  beforeAll(async () => {
    root = await mkdtemp(join(tmpdir(), 'stem-headline-'));
    study = await writeFullStudy(root);
    headline = await headlineOf([study]);
  });

  it('scores STL vs MTL-3 per task from test results, mean ± sample std over seeds; pruning and unfinished runs left out', () => {
    expect(headline.allTasks).toEqual({ label: 'MTL-3', tasks: ['pos', 'ner', 'dep'] });
    const byTask = Object.fromEntries(headline.scores.map((s) => [s.task, s]));
    expect(headline.scores.map((s) => s.task)).toEqual(['pos', 'ner', 'dep']);
    expect(byTask['pos']).toMatchObject({ metric: 'accuracy', split: 'test' });
    expect(byTask['pos']!.stl!.mean).toBeCloseTo(0.92, 12);
    expect(byTask['pos']!.stl!.std).toBeCloseTo(sampleStd(0.9, 0.94), 12);
    expect(byTask['pos']!.mtl!.mean).toBeCloseTo(0.89, 12);
    expect(byTask['pos']!.mtl!.std).toBeCloseTo(sampleStd(0.88, 0.9), 12);
    // ner: one finished STL run (the other has no results.json): no std.
    expect(byTask['ner']!.stl).toEqual({ mean: 0.7, n: 1 });
    expect(byTask['ner']!.mtl!.mean).toBeCloseTo(0.62, 12);
    expect(byTask['dep']!.stl!.mean).toBeCloseTo(0.82, 12);
    expect(byTask['dep']!.mtl!.n).toBe(2);
    const lines = formatHeadline(headline);
    expect(lines).toContain(
      '  pos accuracy: STL 92.00 ± 2.83 (n=2) | MTL-3 89.00 ± 1.41 (n=2)  Δ -3.00',
    );
    expect(lines).toContain('  ner f1: STL 70.00 (n=1) | MTL-3 62.00 ± 2.83 (n=2)  Δ -8.00');
  });

  it('gives the kept-head fraction per task (STL-DP) and of the MTL-DP run', () => {
    const kept = Object.fromEntries(headline.keptHeads.map((k) => [k.tasks, k]));
    expect(kept['pos']).toMatchObject({ setting: 'STL-DP', totalHeads: 8, from: 'gates' });
    expect(kept['pos']!.kept!.mean).toBeCloseTo((2 / 8 + 1 / 8) / 2, 12);
    expect(kept['pos']!.kept!.std).toBeCloseTo(sampleStd(2 / 8, 1 / 8), 12);
    expect(kept['dep']!.kept).toEqual({ mean: 3 / 8, std: 0, n: 3 });
    expect(kept['ner']!.kept).toEqual({ mean: 2 / 8, std: 0, n: 2 });
    expect(kept['pos+ner+dep']).toMatchObject({ setting: 'MTL-DP', kept: { mean: 0.5, n: 1 } });
    expect(formatHeadline(headline)).toContain('  pos STL-DP: 18.8 ± 8.8 (n=2) of 8');
  });

  it('counts stem-cell heads: claimed (kept in at least half its runs) by most tasks, with their layers', () => {
    const cells = headline.stemCells!;
    // pos claims L2H1, L3H1 (1 of 2 runs is half); dep L1H1 (2 of 3), L2H1, L3H1 but not L4H1
    // (1 of 3); ner L2H1, L3H1. A majority of 3 tasks is 2: L2H1 and L3H1, both by all three.
    expect(cells.tasks).toEqual([
      { task: 'pos', runs: 2, claimed: 2 },
      { task: 'ner', runs: 2, claimed: 2 },
      { task: 'dep', runs: 3, claimed: 3 },
    ]);
    expect(cells.majority).toBe(2);
    expect(cells.heads).toEqual([
      { layer: 1, head: 0, claimedBy: 3 },
      { layer: 2, head: 0, claimedBy: 3 },
    ]);
    expect(cells.claimedByAll).toBe(2);
    expect(cells.perLayer).toEqual([0, 1, 1, 0]);
    expect(cells.middleLayers).toEqual([1, 2]);
    expect(cells.inMiddleLayers).toBe(2);
    // Tasks claiming 2, 2 and 3 of 8 heads at random: P(at least 2 of 3) =
    // p1 p2 (1 - p3) + p1 (1 - p2) p3 + (1 - p1) p2 p3 + p1 p2 p3 with p = .25, .25, .375.
    const [p1, p2, p3] = [0.25, 0.25, 0.375];
    const tail = p1 * p2 * (1 - p3) + p1 * (1 - p2) * p3 + (1 - p1) * p2 * p3 + p1 * p2 * p3;
    expect(cells.expectedByChance).toBeCloseTo(8 * tail, 12);
    expect(formatHeadline(headline).join('\n')).toContain(
      'at least 2 of 3; a task claims a head kept in at least half its runs): 2 of 8 (L2: 1, L3: 1); claimed by all 3: 2; expected by chance: 1.6',
    );
  });

  it('takes kept heads and stem cells from overlap.json when the gates files are not given', async () => {
    const fromOverlap = await headlineOf([join(study, 'overlap', 'overlap.json')]);
    const pos = fromOverlap.keptHeads.find((k) => k.tasks === 'pos')!;
    expect(pos).toMatchObject({ setting: 'STL-DP', totalHeads: 8, from: 'overlap' });
    expect(pos.kept!.mean).toBeCloseTo(0.1875, 12);
    expect(pos.kept!.n).toBe(2);
    expect(fromOverlap.keptHeads.find((k) => k.tasks === 'pos+ner+dep')!.kept!.mean).toBe(0.5);
    expect(fromOverlap.stemCells!.heads).toEqual(headline.stemCells!.heads);
    expect(fromOverlap.stemCells!.expectedByChance).toBeCloseTo(
      headline.stemCells!.expectedByChance,
      12,
    );
    // No run manifest: the encoder is unknown, and the head analyses are no evidence.
    expect(fromOverlap.encoder.status).toBe('unknown');
    expect(fromOverlap.claims[1]!.evidence).toBe(false);
  });

  it('averages probe macros static / STL / MTL-3 per task, one result per run, pruning runs left out', () => {
    const pos = headline.probes.find((p) => p.task === 'pos')!;
    expect(pos.probe).toBe('centroid');
    expect(pos.static).toEqual({ mean: 0.6, n: 1 });
    expect(pos.stl!.mean).toBeCloseTo((0.9 + 0.86) / 2, 12);
    expect(pos.stl!.std).toBeCloseTo(sampleStd(0.9, 0.86), 12);
    expect(pos.mtl!.mean).toBeCloseTo((0.7 + 0.74) / 2, 12);
    // Per label means: NN .925 vs .62, DT .835 vs .82: MTL below on both.
    expect(pos.mtlBelowStl).toEqual({ labels: 2, of: 2 });
    const dep = headline.probes.find((p) => p.task === 'dep')!;
    expect(dep.static!.mean).toBeCloseTo(0.4, 12);
    expect(dep.stl).toEqual({ mean: 0.45, n: 1 });
    expect(dep.mtl).toBeUndefined();
    expect(headline.missing).toContain('dep: no MTL-3 attention probe');
    expect(headline.missing).toContain('ner: no probe results');
    expect(formatHeadline(headline)).toContain(
      '  dep attention: static 40.00 (n=1) | STL 45.00 (n=1) | MTL-3 missing',
    );
  });

  it('names the encoder found from a relative encoder.path, with its gates, and lets the head analyses count', () => {
    expect(headline.encoder.status).toBe('gates-passed');
    expect(headline.encoder.headsAreEvidence).toBe(true);
    expect(headline.encoder.caveat).toBeUndefined();
    const [encoder] = headline.encoder.encoders;
    expect(encoder).toMatchObject({
      name: 'tiny-test-bert',
      path: 'models/good',
      location: join(root, 'models', 'good'),
      gatesMatchWeights: true,
      architecture: { arch: 'bert', layers: 4, heads: 2, hidden: 8 },
    });
    const lines = formatHeadline(headline);
    expect(lines[0]).toBe(
      'Encoder: tiny-test-bert (models/good; BERT 4 layers x 2 heads (8 heads), hidden 8), masked LM on a test corpus, 10 updates.',
    );
    expect(lines[1]).toMatch(
      /^Quality gates \(quality-gates.json\): \(a\) passed: measured 0; \(b\) passed/,
    );
    expect(lines.join('\n')).not.toContain('Caveat');
  });

  it("gives each of the paper's claims a verdict with its numbers", () => {
    const [one, two, three] = headline.claims;
    expect(one).toMatchObject({ id: 1, verdict: 'reproduced', evidence: true });
    expect(one!.numbers[0]).toBe(
      'MTL-3 below STL on 2 of 3 task(s): pos -3.00 (beyond one std), ner -8.00 (one run: no spread), dep +2.00 (within one std)',
    );
    expect(one!.numbers[1]).toContain("stands in for the paper's five tasks");
    expect(two).toMatchObject({ id: 2, verdict: 'reproduced', evidence: true });
    expect(two!.numbers[1]).toBe(
      '2 of 2 stem-cell heads in the middle layers (2, 3), which hold 4 of 8 heads',
    );
    expect(three).toMatchObject({ id: 3, verdict: 'reproduced', evidence: true });
    // Gain 28 points, 16 given back: 57%.
    expect(three!.numbers).toContain(
      'pos: static 60.00, STL 88.00 (+28.00), MTL-3 72.00 (-16.00 vs STL, 57% of the gain given back); MTL-3 below STL on 2 of 2 labels',
    );
    const lines = formatHeadline(headline);
    expect(lines).toContain('  1. MTL-3 scores below STL: REPRODUCED');
  });

  it('reports missing parts as missing, never as zero', async () => {
    const only = join(root, 'only-pos');
    await writeRun({
      directory: join(only, 'pos-s1'),
      seed: 1,
      scores: { pos: 0.9 },
      encoder: RANDOM_ENCODER,
    });
    // A probe of a run that is not in the study: left out, and said so.
    await writeProbe(
      join(only, 'probes', 'probe-pos.json'),
      probeResult('pos', { NN: 0.9 }, { model: 'runs/elsewhere', kind: 'run' }),
    );
    const partial = await headlineOf([only]);
    expect(partial.allTasks).toBeUndefined();
    expect(partial.scores).toEqual([
      { task: 'pos', metric: 'accuracy', split: 'test', stl: { mean: 0.9, n: 1 } },
    ]);
    expect(partial.keptHeads).toEqual([{ tasks: 'pos', setting: 'STL-DP' }]);
    expect(partial.stemCells).toBeUndefined();
    expect(partial.probes).toEqual([]);
    expect(partial.claims.map((c) => c.verdict)).toEqual([
      'not enough data',
      'not enough data',
      'not enough data',
    ]);
    expect(partial.missing).toEqual(
      expect.arrayContaining([
        'pos: no finished multi-task run',
        'pos: no STL-DP pruning run',
        'pos: no probe results',
        '1 probe result(s) belong to no run of the study and are not static probes: left out of the probe macro averages',
      ]),
    );
    const text = formatHeadline(partial).join('\n');
    expect(text).toContain('pos accuracy: STL 90.00 (n=1) | MTL missing');
    expect(text).toContain('pos STL-DP: missing');
    expect(text).toContain('Stem-cell heads: missing');
    expect(text).not.toMatch(/\b0\.0+\b/);
  });

  it('says a random encoder has no pretrained heads: the head analyses are not evidence', async () => {
    const random = join(root, 'random');
    await writeRun({
      directory: join(random, 'pos-s1'),
      seed: 1,
      scores: { pos: 0.9 },
      encoder: RANDOM_ENCODER,
    });
    const fromArchitecture = await headlineOf([random]);
    expect(fromArchitecture.encoder).toMatchObject({
      status: 'random',
      headsAreEvidence: false,
      pretrained: false,
    });
    expect(fromArchitecture.encoder.caveat).toContain(
      'randomly initialised: it has no pretrained heads at all',
    );
    expect(fromArchitecture.encoder.caveat).toContain(
      "not evidence for or against the paper's claims",
    );
    expect(fromArchitecture.claims.every((c) => !c.evidence)).toBe(true);
    const lines = formatHeadline(fromArchitecture);
    expect(lines[0]).toBe(
      'Encoder: random BERT (BERT 4 layers x 2 heads (8 heads), hidden 8), randomly initialised from the run seed (not pretrained).',
    );
    expect(lines.some((l) => l.startsWith('Caveat: The encoder is randomly initialised'))).toBe(
      true,
    );
    // weights: random over stem-mini's shape: its gates do not apply to fresh weights.
    const twin = join(root, 'random-twin');
    await writeRun({
      directory: join(twin, 'pos-s1'),
      seed: 1,
      scores: { pos: 0.8 },
      encoder: { path: STEM_MINI, weights: 'random' },
    });
    const randomTwin = await headlineOf([twin]);
    expect(randomTwin.encoder.status).toBe('random');
    expect(formatHeadline(randomTwin)[0]).toMatch(
      /^Encoder: random weights in the shape of model-stem-mini\/model \(.*; BERT 4 layers x 8 heads \(32 heads\), hidden 256\), randomly initialised from the run seed \(not pretrained\)\.$/,
    );
    expect(formatHeadline(randomTwin).join('\n')).not.toContain('Quality gates');
  });

  it("shows stem-mini's gates from its quality-gates.json and that gate (c) failed: not evidence", async () => {
    const mini = join(root, 'mini');
    await writeRun({
      directory: join(mini, 'pos-s1'),
      seed: 1,
      scores: { pos: 0.9 },
      encoder: { path: STEM_MINI, weights: 'pretrained' },
    });
    const onMini = await headlineOf([mini]);
    expect(onMini.encoder.status).toBe('gates-failed');
    expect(onMini.encoder.headsAreEvidence).toBe(false);
    // Claim 1 is about task scores of a pretrained encoder: that part still counts.
    expect(onMini.encoder.pretrained).toBe(true);
    expect(onMini.encoder.encoders[0]).toMatchObject({
      name: 'stem-mini',
      gatesMatchWeights: true,
    });
    const lines = formatHeadline(onMini);
    expect(lines[0]).toMatch(
      /^Encoder: stem-mini \(.*model-stem-mini\/model; BERT 4 layers x 8 heads \(32 heads\), hidden 256\), masked LM/,
    );
    expect(lines[1]).toContain('(a) passed');
    expect(lines[1]).toContain('(c) FAILED: best head 38.63%');
    expect(onMini.encoder.caveat).toBe(
      "stem-mini did not pass all its quality gates (failed: (c) a head beats the adjacent-word baseline on the DEP attention probe (EWT test) by 10 points or more), so the head analyses (pruning, stem cells, probes) are not evidence for or against the paper's claims.",
    );
  });

  it('treats a checkpoint without gates, gates of other weights and mixed encoders as no evidence', async () => {
    const plain = join(root, 'plain');
    await writeModel(join(plain, 'model'));
    await writeRun({
      directory: join(plain, 'runs', 'pos-s1'),
      seed: 1,
      scores: { pos: 0.9 },
      encoder: { path: 'model' },
    });
    const noGates = await headlineOf([join(plain, 'runs')]);
    expect(noGates.encoder.status).toBe('no-gates');
    expect(noGates.encoder.caveat).toContain('carries no quality gates that stem can check');
    expect(formatHeadline(noGates)).toContain('Quality gates: none recorded.');

    const other = join(root, 'other-weights');
    await writeModel(join(other, 'model'), { passed: [true, true, true], sha256: '0'.repeat(64) });
    await writeRun({
      directory: join(other, 'runs', 'pos-s1'),
      seed: 1,
      scores: { pos: 0.9 },
      encoder: { path: 'model' },
    });
    const mismatched = await headlineOf([join(other, 'runs')]);
    expect(mismatched.encoder.status).toBe('no-gates');
    expect(mismatched.encoder.encoders[0]!.gatesMatchWeights).toBe(false);
    expect(mismatched.encoder.caveat).toContain('measured on other weights');

    const gone = join(root, 'gone');
    await writeRun({
      directory: join(gone, 'pos-s1'),
      seed: 1,
      scores: { pos: 0.9 },
      encoder: { path: 'no/such/model' },
    });
    const unknown = await headlineOf([gone]);
    expect(unknown.encoder.status).toBe('no-gates');
    expect(formatHeadline(unknown).join('\n')).toContain(
      'encoder.path no/such/model was not found',
    );

    const mixed = await headlineOf([join(plain, 'runs'), join(root, 'random')]);
    expect(mixed.encoder.status).toBe('mixed');
    expect(mixed.encoder.headsAreEvidence).toBe(false);
  });

  it('stem report prints the headline, puts it first in index.html and in --json', async () => {
    const env = await isolatedHome();
    const out = join(root, 'report');
    const plain = await runStem(['report', study, '--out', out], env);
    expect(plain.code, plain.stderr).toBe(0);
    expect(plain.stdout.split('\n')).toEqual(expect.arrayContaining(formatHeadline(headline)));
    const html = await readFile(join(out, 'index.html'), 'utf8');
    expect(html.indexOf('<section class="headline">')).toBeGreaterThan(0);
    expect(html.indexOf('<section class="headline">')).toBeLessThan(html.indexOf('<h2>Heat maps'));
    expect(html).toContain('MTL-3 scores below STL: REPRODUCED');
    const json = await runStem(['report', study, '--out', out, '--json'], env);
    expect(json.code, json.stderr).toBe(0);
    const result = envelope<{ headline: StudyHeadline }>(json).result;
    expect(result.headline.claims.map((c) => c.verdict)).toEqual([
      'reproduced',
      'reproduced',
      'reproduced',
    ]);
    expect(result.headline.stemCells!.heads).toHaveLength(2);
  }, 120_000);
});

describe("the paper's claims: verdict rules", () => {
  it('atLeast is the Poisson-binomial tail (brute force over every outcome)', () => {
    const p = [0.1, 0.5, 0.35, 0.8];
    for (let k = 0; k <= p.length + 1; k++) {
      let brute = 0;
      for (let mask = 0; mask < 1 << p.length; mask++) {
        const hits = p.filter((_, i) => mask & (1 << i)).length;
        if (hits >= k) brute += p.reduce((prob, q, i) => prob * (mask & (1 << i) ? q : 1 - q), 1);
      }
      expect(atLeast(k, p)).toBeCloseTo(brute, 12);
    }
  });

  it('middle layers are the middle half: 4 layers 2-3, 12 layers 4-9, 3 layers 2, 2 layers none', () => {
    expect(middleLayers(4)).toEqual([1, 2]);
    expect(middleLayers(12)).toEqual([3, 4, 5, 6, 7, 8]);
    expect(middleLayers(3)).toEqual([1]);
    expect(middleLayers(2)).toEqual([]);
  });

  const base: Omit<StudyHeadline, 'claims'> = {
    encoder: { encoders: [], status: 'gates-passed', headsAreEvidence: true, pretrained: true },
    allTasks: { label: 'MTL-5', tasks: ['pos', 'ner', 'dep', 'con', 'srl'] },
    scores: [],
    keptHeads: [],
    probes: [],
    missing: [],
  };
  const cells = (heads: Array<[number, number]>, expected: number, tasks = 5) => ({
    tasks: Array.from({ length: tasks }, (_, k) => ({ task: `t${k}`, runs: 3, claimed: 10 })),
    layers: 4,
    headsPerLayer: 8,
    majority: Math.floor(tasks / 2) + 1,
    heads: heads.map(([layer, head]) => ({ layer, head, claimedBy: 3 })),
    claimedByAll: 0,
    perLayer: [0, 1, 2, 3].map((l) => heads.filter(([hl]) => hl === l).length),
    expectedByChance: expected,
    middleLayers: [1, 2],
    inMiddleLayers: heads.filter(([l]) => l === 1 || l === 2).length,
  });

  it('claim 1: MTL below STL on most tasks', () => {
    const line = (task: string, stl: number, mtl: number) => ({
      task,
      stl: { mean: stl, std: 0.01, n: 3 },
      mtl: { mean: mtl, std: 0.01, n: 3 },
    });
    const below = paperClaims({
      ...base,
      scores: [line('pos', 0.9, 0.85), line('dep', 0.8, 0.7)],
    })[0]!;
    expect(below.verdict).toBe('reproduced');
    expect(below.numbers).toEqual([
      'MTL-5 below STL on 2 of 2 task(s): pos -5.00 (beyond one std), dep -10.00 (beyond one std)',
    ]);
    const tie = paperClaims({
      ...base,
      scores: [line('pos', 0.9, 0.85), line('dep', 0.8, 0.805)],
    })[0]!;
    // 1 of 2 is not most.
    expect(tie.verdict).toBe('not reproduced');
    expect(tie.numbers[0]).toContain('dep +0.50 (within one std)');
  });

  it('claim 2: shared beyond chance and concentrated in the middle layers, with at least three tasks', () => {
    const claim = (c: ReturnType<typeof cells>) => paperClaims({ ...base, stemCells: c })[1]!;
    expect(
      claim(
        cells(
          [
            [1, 0],
            [2, 3],
            [1, 5],
          ],
          1.2,
        ),
      ).verdict,
    ).toBe('reproduced');
    const outer = claim(
      cells(
        [
          [0, 0],
          [3, 3],
          [1, 5],
        ],
        1.2,
      ),
    );
    expect(outer.verdict).toBe('not reproduced');
    expect(outer.numbers).toContain('the shared heads are not concentrated in the middle layers');
    const chance = claim(
      cells(
        [
          [1, 0],
          [2, 3],
        ],
        2.5,
      ),
    );
    expect(chance.verdict).toBe('not reproduced');
    expect(chance.numbers).toContain('no more heads are shared than chance would give');
    expect(claim(cells([], 0.3)).numbers).toContain('no head is claimed by most tasks');
    const two = claim(cells([[1, 0]], 0.1, 2));
    expect(two.verdict).toBe('not enough data');
    expect(two.numbers).toContain('only 2 pruned tasks: "most tasks" needs at least three');
  });

  it('claim 3: STL above static and MTL below STL on most probed tasks; evidence follows the encoder', () => {
    const probe = (task: string, s: number, t: number, m: number) => ({
      task,
      probe: 'centroid',
      static: { mean: s, n: 1 },
      stl: { mean: t, n: 3 },
      mtl: { mean: m, n: 3 },
    });
    const given = paperClaims({
      ...base,
      probes: [probe('pos', 0.7, 0.9, 0.75), probe('ner', 0.8, 0.86, 0.82)],
    })[2]!;
    expect(given.verdict).toBe('reproduced');
    expect(given.numbers[1]).toBe(
      'pos: static 70.00, STL 90.00 (+20.00), MTL-5 75.00 (-15.00 vs STL, 75% of the gain given back)',
    );
    // DEP in the paper: STL does not beat static (79.28 vs 79.41).
    const notSpecialised = paperClaims({
      ...base,
      encoder: { ...base.encoder, status: 'random', headsAreEvidence: false, pretrained: false },
      probes: [probe('dep', 0.7941, 0.7928, 0.7522), probe('pos', 0.7, 0.9, 0.95)],
    })[2]!;
    expect(notSpecialised.verdict).toBe('not reproduced');
    expect(notSpecialised.evidence).toBe(false);
    expect(notSpecialised.numbers[0]).toBe(
      'STL above static and MTL-5 below STL on 0 of 2 task(s)',
    );
  });
});
