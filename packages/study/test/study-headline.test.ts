import { mkdir, mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { paperClaims } from '../src/report/paper-claims.js';
import { collectStudy } from '../src/report/study-files.js';
import { headSharing, middleLayers, pruningRunLines } from '../src/report/head-sharing.js';
import { meanInterval } from '../src/report/mean-interval.js';
import { signTestP } from '../src/report/sign-test.js';
import type { GatesEntry, RunEntry, Study } from '../src/report/study-files.js';
import { parseStudyConfig } from '../src/study/study-config.js';
import { formatHeadline, studyHeadline, type StudyHeadline } from '../src/report/study-headline.js';
import { studentT975 } from '../src/report/student-t.js';
import { renderReport } from '../src/report/render-report.js';
import { htmlEscape } from '../src/report/table.js';
import { repositoryRoot } from './paths.js';
import { writeFullStudy } from './full-study-fixture.js';
import { probeResult, writeModel, writeProbe, writeRun } from './study-fixtures.js';

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
    // Paired by seed: pos -0.02 (seed 1), -0.04 (seed 2): mean -0.03, sd 0.02 / sqrt 2, and
    // t(0.975, 1) = 12.7062 gives a half-width of 12.7062 * 0.0141421 / sqrt 2 = 0.127062.
    const pos = byTask['pos']!.difference!;
    expect(pos.seeds).toEqual([1, 2]);
    expect(pos.mean).toBeCloseTo(-0.03, 12);
    expect(pos.halfWidth).toBeCloseTo(0.127062, 6);
    expect(byTask['pos']!.outcome).toBe('inconclusive');
    // ner: only seed 1 has both runs (seed 2's STL run is unfinished): -0.10, no interval; and
    // study.json raises ner's floor to 0.75, above its STL 0.70: under-trained.
    expect(byTask['ner']!.difference).toMatchObject({ seeds: [1], n: 1 });
    expect(byTask['ner']!.difference!.mean).toBeCloseTo(-0.1, 12);
    expect(byTask['ner']!.difference!.low).toBeUndefined();
    expect(byTask['ner']).toMatchObject({ floor: 0.75, outcome: 'under-trained' });
    expect(headline.learningFloors).toEqual({
      floors: { pos: 0.8, ner: 0.75, dep: 0.5, con: 0.5, srl: 0.3 },
      from: join(study, 'study.json'),
    });
    const lines = formatHeadline(headline);
    expect(lines).toContain(
      '  pos accuracy: STL 92.00 ± 2.83 (n=2) | MTL-3 89.00 ± 1.41 (n=2)  Δ -3.00 [95%: -15.71, +9.71] (n=2): inconclusive',
    );
    expect(lines).toContain(
      '  ner f1: STL 70.00 (n=1) | MTL-3 62.00 ± 2.83 (n=2)  Δ -10.00 (n=1: no interval): not tested: under-trained (STL 70.00 < learning floor 75.00)',
    );
    expect(lines.join('\n')).toContain(
      `pos 80.00, ner 75.00, dep 50.00 (defaults, with ${join(study, 'study.json')} over them)`,
    );
  });

  it("finds the study's learning floors in study.json above a given run folder", async () => {
    const fromRun = await headlineOf([
      join(study, 'runs', 'ner-s1'),
      join(study, 'runs', 'mtl-s1'),
    ]);
    expect(fromRun.learningFloors.from).toBe(join(study, 'study.json'));
    expect(fromRun.scores.find((s) => s.task === 'ner')!.outcome).toBe('under-trained');
    // Options go over the file's floors.
    const lowered = studyHeadline(await collectStudy([study]), { learningFloors: { ner: 0.5 } });
    expect(lowered.scores.find((s) => s.task === 'ner')!.outcome).toBe('one seed');
  });

  it('takes learningFloors in the study config, as fractions of the stored scores', () => {
    const config = (floors: string) =>
      `name: floors\nencoder: { type: stem.encoder.transformer.v1, path: m }\ntasks:\n  ner: { type: stem.task.ner.biaffine.v1, dataset: { type: stem.dataset.gum-ner.v1 } }\n${floors}`;
    expect(
      parseStudyConfig(config('learningFloors: { ner: 0.1 }'), 's.yaml').learningFloors,
    ).toEqual({ ner: 0.1 });
    expect(parseStudyConfig(config(''), 's.yaml').learningFloors).toBeUndefined();
    // 20 is a percentage, not a fraction.
    expect(() => parseStudyConfig(config('learningFloors: { ner: 20 }'), 's.yaml')).toThrow(
      /learningFloors/,
    );
  });

  it('gives the kept-head fraction per task (STL-DP) and of the MTL-DP run', () => {
    const kept = Object.fromEntries(headline.keptHeads.map((k) => [k.tasks, k]));
    expect(kept['pos']).toMatchObject({ setting: 'STL-DP', totalHeads: 8, from: 'gates' });
    expect(kept['pos']!.kept!.mean).toBeCloseTo((2 / 8 + 1 / 8) / 2, 12);
    expect(kept['pos']!.kept!.std).toBeCloseTo(sampleStd(2 / 8, 1 / 8), 12);
    expect(kept['dep']!.kept).toEqual({ mean: 3 / 8, std: 0, n: 3 });
    expect(kept['ner']!.kept).toEqual({ mean: 2 / 8, std: 0, n: 2 });
    expect(kept['pos+ner+dep']).toMatchObject({ setting: 'MTL-DP', kept: { mean: 0.5, n: 1 } });
    // Undecided gates (strictly between 0 and 1) per run: 0.0011 / 0.0009 for pos, 0.0005 once for ner.
    expect(kept['pos']!.undecided).toEqual([1, 1]);
    expect(kept['ner']!.undecided).toEqual([1, 0]);
    expect(kept['dep']!.undecided).toEqual([0, 0, 0]);
    const lines = formatHeadline(headline);
    expect(lines).toContain('  pos STL-DP: 18.8 ± 8.8 (n=2) of 8; undecided gates per run: 1, 1');
    expect(lines).toContain('  dep STL-DP: 37.5 ± 0.0 (n=3) of 8');
    expect(lines).toContain(
      '  5 of 8 pruning runs decided every gate (final evaluation gates all 0 or 1); undecided gates per run (left out of claim 2): pos-dp-s1 1, pos-dp-s2 1, ner-dp-s1 1',
    );
  });

  it('tests head sharing on the STL-DP runs that decided every gate, and only on those', () => {
    const sharing = headline.sharing!;
    // pos: both runs undecided, left out; ner: its converged second run only; dep: all three.
    expect(sharing.test.tasks).toEqual([
      { task: 'ner', runs: 1, claimed: 2 },
      { task: 'dep', runs: 3, claimed: 3 },
    ]);
    expect(sharing.test.draws).toBe(10_000);
    // ner claims L2H1, L3H1; dep L1H1 (2 of 3 runs), L2H1, L3H1, not L4H1 (1 of 3).
    expect(sharing.test.stemCells).toEqual([
      { layer: 1, head: 0 },
      { layer: 2, head: 0 },
    ]);
    expect(sharing.middleLayers).toEqual([1, 2]);
    expect(sharing.layers.map((l) => [l.layer, l.observed])).toEqual([
      [0, 0],
      [1, 1],
      [2, 1],
      [3, 0],
    ]);
    const text = formatHeadline(headline).join('\n');
    expect(text).toContain(
      'Head sharing (permutation test over the STL-DP runs that decided every gate, 10000 draws)',
    );
    expect(text).toContain('  tasks: ner 1 run(s), claims 2; dep 3 run(s), claims 3');
    expect(text).toContain('  stem cells: 2 of 8; per layer L1 0');
    expect(text).toMatch(
      /heads claimed by all 2 tasks \(stem cells\): observed 2; null mean \[95%\] and one-sided p: uniform /,
    );
  });

  it('takes kept heads from overlap.json when the gates files are not given, but not head sharing', async () => {
    const fromOverlap = await headlineOf([join(study, 'overlap', 'overlap.json')]);
    const pos = fromOverlap.keptHeads.find((k) => k.tasks === 'pos')!;
    expect(pos).toMatchObject({ setting: 'STL-DP', totalHeads: 8, from: 'overlap' });
    expect(pos.kept!.mean).toBeCloseTo(0.1875, 12);
    expect(pos.kept!.n).toBe(2);
    expect(fromOverlap.keptHeads.find((k) => k.tasks === 'pos+ner+dep')!.kept!.mean).toBe(0.5);
    // overlap.json does not say whether a run decided its gates: no sharing test from it.
    expect(fromOverlap.sharing).toBeUndefined();
    expect(fromOverlap.pruningRuns).toEqual([]);
    expect(fromOverlap.claims[1]!.verdict).toBe('not enough data');
    expect(fromOverlap.claims[1]!.numbers[0]).toBe(
      "no STL-DP run's pruning/gates.json (overlap.json alone does not say whether the runs decided their gates)",
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
    // Per label means: NN .925 vs .62, DT .835 vs .82: MTL below on both; sign test 2 of 2:
    // p = 2 * (1/2)^2 = 0.5.
    expect(pos.mtlBelowStl).toEqual({ below: 2, above: 0, of: 2, p: 0.5 });
    // STL - static per STL run: 0.90 - 0.60, 0.86 - 0.60; STL - MTL 0.88 - 0.72 = 0.16 of 0.28.
    expect(pos.gain!.mean).toBeCloseTo(0.28, 12);
    expect(pos.gain!.n).toBe(2);
    expect(pos.givenBack).toBeCloseTo(0.16, 12);
    expect(pos.shareGivenBack).toBeCloseTo(0.16 / 0.28, 12);
    expect(pos.outcome).toBe('inconclusive');
    expect(pos.runs).toEqual({ stl: ['pos-s1', 'pos-s2'], mtl: ['mtl-s1', 'mtl-s2'] });
    const dep = headline.probes.find((p) => p.task === 'dep')!;
    expect(dep.static!.mean).toBeCloseTo(0.4, 12);
    expect(dep.stl).toEqual({ mean: 0.45, n: 1 });
    expect(dep.mtl).toBeUndefined();
    expect(dep.outcome).toBeUndefined();
    expect(headline.missing).toContain('dep: no MTL-3 attention probe');
    expect(headline.missing).toContain('ner: no probe results');
    expect(formatHeadline(headline)).toContain(
      '  dep attention: static 40.00 (n=1) | STL 45.00 (n=1) | MTL-3 missing',
    );
    expect(formatHeadline(headline)).toContain(
      '  pos centroid: static 60.00 (n=1) | STL 88.00 ± 2.83 (n=2) | MTL-3 72.00 ± 2.83 (n=2); MTL-3 below STL on 2 of 2 labels, above on 0 (sign test p = 0.500)',
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

  it("gives each of the paper's claims a verdict with its numbers, inconclusive inside the noise", () => {
    const [one, two, three] = headline.claims;
    // Two seeds: t(0.975, 1) = 12.71 makes both intervals hold 0; ner is under its floor.
    expect(one).toMatchObject({ id: 1, verdict: 'inconclusive', evidence: true });
    expect(one!.numbers).toEqual([
      'per task, Δ = MTL-3 − STL paired by seed (points; mean [95% Student-t interval] (n = seeds with both runs)):',
      'pos: -3.00 [95%: -15.71, +9.71] (n=2): inconclusive',
      'ner: -10.00 (n=1: no interval): not tested: under-trained (STL 70.00 < learning floor 75.00)',
      'dep: +2.00 [95%: -10.71, +14.71] (n=2): inconclusive',
      "MTL-3 (pos+ner+dep) stands in for the paper's five tasks",
      'of 2 tested task(s) with an interval: 0 below, 0 above, 2 inconclusive; 1 under-trained (not tested)',
    ]);
    // Converged STL-DP runs of two tasks only.
    expect(two).toMatchObject({ id: 2, verdict: 'not enough data', evidence: true });
    expect(two!.numbers[0]).toBe(
      '4 of 7 STL-DP runs decided every gate (final evaluation gates all 0 or 1); undecided gates: pos-dp-s1 1, pos-dp-s2 1, ner-dp-s1 1 (left out)',
    );
    expect(two!.numbers.at(-1)).toBe(
      'only 2 tasks with converged runs: "most tasks" needs at least three',
    );
    // pos: the gain is beyond the STL spread (t interval 28 ± 25.41), but 2 of 2 labels is
    // sign-test p = 0.5: within the noise.
    expect(three).toMatchObject({ id: 3, verdict: 'inconclusive', evidence: true });
    expect(three!.numbers).toEqual([
      "from the probes of 2 STL and 2 MTL-3 run(s) and the static encoder's (deterministic: one each); pruning runs are not probed for this claim",
      'per task: 0 support, 0 against, 1 inconclusive (support: STL − static above 0 beyond its 95% interval and MTL-3 below STL on most labels, sign test p < 0.05)',
      'pos centroid: STL − static +28.00 [95%: +2.59, +53.41] (n=2); STL − MTL-3 +16.00, 57% of the gain given back; MTL-3 below STL on 2 of 2 labels, above on 0, sign test p = 0.500: inconclusive (the labels shift within the noise)',
    ]);
    const lines = formatHeadline(headline);
    expect(lines).toContain('  1. MTL-3 scores below STL: INCONCLUSIVE');
    expect(lines.join('\n')).not.toMatch(/REPRODUCED/);
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
      // No MTL run: no difference and no claim 1 outcome, but the floor is there.
      { task: 'pos', metric: 'accuracy', split: 'test', stl: { mean: 0.9, n: 1 }, floor: 0.8 },
    ]);
    expect(partial.keptHeads).toEqual([{ tasks: 'pos', setting: 'STL-DP' }]);
    expect(partial.sharing).toBeUndefined();
    expect(partial.pruningRuns).toEqual([]);
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
    expect(text).toContain("Head sharing: missing (need the STL-DP runs' pruning/gates.json)");
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

  it("shows stem-mini's gates from its quality-gates.json: all three pass, so its heads count", async () => {
    const mini = join(root, 'mini');
    await writeRun({
      directory: join(mini, 'pos-s1'),
      seed: 1,
      scores: { pos: 0.9 },
      encoder: { path: STEM_MINI, weights: 'pretrained' },
    });
    const onMini = await headlineOf([mini]);
    // Gate (c) per relation, under the probe's ROOT rule (MODEL_CARD.md): it passes.
    expect(onMini.encoder.status).toBe('gates-passed');
    expect(onMini.encoder.headsAreEvidence).toBe(true);
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
    expect(lines[1]).toContain('(c) passed: 7 of the 30 relations with 100+ arcs');
    expect(lines[1]).not.toContain('FAILED');
    // Whatever else the headline warns about, it is not the gates.
    expect(onMini.encoder.caveat ?? '').not.toContain('quality gates');
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

  it('renderReport puts the headline first in index.html, after the verdicts as a list', async () => {
    const out = join(root, 'report');
    const report = await renderReport([study], { out });
    expect(report.headline).toEqual(headline);
    expect(report.files.index).toBe(join(out, 'index.html'));
    const html = await readFile(join(out, 'index.html'), 'utf8');
    expect(html.indexOf('<section class="headline">')).toBeGreaterThan(0);
    expect(html.indexOf('<section class="headline">')).toBeLessThan(html.indexOf('<h2>Heat maps'));
    expect(html).toContain('MTL-3 scores below STL: INCONCLUSIVE');
    // The verdicts also stand as a list above the headline text.
    expect(html).toContain(
      '<li>2. a shared set of heads is claimed by most tasks, in the middle layers: <span class="verdict verdict-not-enough-data">NOT ENOUGH DATA</span></li>',
    );
    for (const line of formatHeadline(headline)) expect(html).toContain(htmlEscape(line));
    expect(report.headline.claims.map((c) => c.verdict)).toEqual([
      'inconclusive',
      'not enough data',
      'inconclusive',
    ]);
    expect(report.headline.sharing!.test.stemCells).toHaveLength(2);
  });

  it('renderReport refuses paths that hold nothing to report (NOTHING_TO_REPORT), after naming unusable files', async () => {
    const empty = join(root, 'nothing');
    await mkdir(empty, { recursive: true });
    await writeFile(join(empty, 'overlap.json'), '{ not json');
    const problems: string[] = [];
    await expect(
      renderReport([empty], { out: join(root, 'no-report'), warn: (p) => problems.push(p) }),
    ).rejects.toMatchObject({ code: 'NOTHING_TO_REPORT' });
    expect(problems).toEqual([expect.stringContaining(join(empty, 'overlap.json'))]);
  });
});

describe("the paper's claims: verdict rules", () => {
  const base: Omit<StudyHeadline, 'claims'> = {
    encoder: { encoders: [], status: 'gates-passed', headsAreEvidence: true, pretrained: true },
    allTasks: { label: 'MTL-5', tasks: ['pos', 'ner', 'dep', 'con', 'srl'] },
    scores: [],
    learningFloors: { floors: {} },
    keptHeads: [],
    pruningRuns: [],
    probes: [],
    missing: [],
  };

  /** A study of score runs only: per task, STL and MTL scores per seed (index = seed - 1). */
  function scoreStudy(scores: Record<string, { stl: number[]; mtl: number[] }>): Study {
    const tasks = Object.keys(scores);
    const runs: RunEntry[] = [];
    const entry = (runTasks: string[], seed: number, values: Record<string, number>) => ({
      directory: `/synthetic/${runTasks.join('+')}-s${seed}`,
      name: runTasks.join('+'),
      seed,
      tasks: runTasks,
      scores: Object.fromEntries(
        Object.entries(values).map(([task, value]) => [
          task,
          { metric: 'score', value, split: 'test' as const },
        ]),
      ),
    });
    for (const task of tasks)
      scores[task]!.stl.forEach((value, k) => runs.push(entry([task], k + 1, { [task]: value })));
    const seeds = Math.max(...tasks.map((t) => scores[t]!.mtl.length));
    for (let k = 0; k < seeds; k++)
      runs.push(
        entry(
          tasks,
          k + 1,
          Object.fromEntries(
            tasks
              .filter((t) => scores[t]!.mtl[k] !== undefined)
              .map((t) => [t, scores[t]!.mtl[k]!]),
          ),
        ),
      );
    return { runs, probes: [], gates: [], overlaps: [], problems: [] };
  }

  describe('claim 1: MTL-5 minus STL paired by seed, with a 95% Student-t interval', () => {
    it('gives the hand-computed t interval for three seeds: below when it excludes 0 from below', () => {
      // Differences -0.02, -0.03, -0.025: mean -0.025, sd 0.005, t(0.975, 2) = 4.3027,
      // half-width 4.3027 * 0.005 / sqrt 3 = 0.012421: [-0.037421, -0.012579].
      const headline = studyHeadline(
        scoreStudy({
          pos: { stl: [0.9, 0.92, 0.94], mtl: [0.88, 0.89, 0.915] },
          dep: { stl: [0.8, 0.8, 0.8], mtl: [0.78, 0.77, 0.775] },
        }),
      );
      const pos = headline.scores.find((s) => s.task === 'pos')!;
      expect(pos.difference!.seeds).toEqual([1, 2, 3]);
      expect(pos.difference!.mean).toBeCloseTo(-0.025, 12);
      expect(pos.difference!.sd).toBeCloseTo(0.005, 12);
      expect(pos.difference!.halfWidth).toBeCloseTo(0.012421, 6);
      expect(pos.difference!.low).toBeCloseTo(-0.037421, 6);
      expect(pos.difference!.high).toBeCloseTo(-0.012579, 6);
      expect(pos.outcome).toBe('below');
      const claim = headline.claims[0]!;
      expect(claim.verdict).toBe('reproduced');
      expect(claim.numbers).toContain('pos: -2.50 [95%: -3.74, -1.26] (n=3): below');
      expect(claim.numbers.at(-1)).toBe(
        'of 2 tested task(s) with an interval: 2 below, 0 above, 0 inconclusive',
      );
    });

    it('is inconclusive when an interval crosses 0, above when it excludes 0 from above', () => {
      const headline = studyHeadline(
        scoreStudy({
          // -0.02, +0.01, -0.03: mean -0.0133, sd 0.0208, half-width 0.0517: holds 0.
          pos: { stl: [0.9, 0.9, 0.9], mtl: [0.88, 0.91, 0.87] },
          // +0.02, +0.03, +0.025: the mirror of the hand-computed case.
          dep: { stl: [0.8, 0.8, 0.8], mtl: [0.82, 0.83, 0.825] },
          con: { stl: [0.7, 0.7, 0.7], mtl: [0.72, 0.73, 0.725] },
        }),
      );
      const outcomes = Object.fromEntries(headline.scores.map((s) => [s.task, s.outcome]));
      expect(outcomes).toEqual({ pos: 'inconclusive', dep: 'above', con: 'above' });
      // Most tasks with an interval above: not reproduced.
      expect(headline.claims[0]!.verdict).toBe('not reproduced');
      // One below, one above: split, inconclusive.
      const split = studyHeadline(
        scoreStudy({
          pos: { stl: [0.9, 0.92, 0.94], mtl: [0.88, 0.89, 0.915] },
          dep: { stl: [0.8, 0.8, 0.8], mtl: [0.82, 0.83, 0.825] },
        }),
      );
      expect(split.claims[0]!.verdict).toBe('inconclusive');
      // Only intervals that hold 0: inconclusive, never reproduced or not.
      const noise = studyHeadline(
        scoreStudy({
          pos: { stl: [0.9, 0.9, 0.9], mtl: [0.88, 0.91, 0.87] },
          // +0.0033 ± 0.0313: holds 0.
          dep: { stl: [0.8, 0.8, 0.8], mtl: [0.79, 0.815, 0.805] },
        }),
      );
      expect(noise.scores.map((s) => s.outcome)).toEqual(['inconclusive', 'inconclusive']);
      expect(noise.claims[0]!.verdict).toBe('inconclusive');
    });

    it('pairs runs by seed and gives no interval for one seed', () => {
      // Seed 2 has no MTL run: one pair, no interval.
      const headline = studyHeadline(
        scoreStudy({
          pos: { stl: [0.9, 0.95], mtl: [0.85] },
          dep: { stl: [0.8], mtl: [0.7, 0.75] },
        }),
      );
      const pos = headline.scores.find((s) => s.task === 'pos')!;
      expect(pos.difference).toMatchObject({ seeds: [1], n: 1 });
      expect(pos.difference!.mean).toBeCloseTo(-0.05, 12);
      expect(pos.outcome).toBe('one seed');
      expect(headline.claims[0]!.verdict).toBe('inconclusive');
      expect(headline.claims[0]!.numbers).toContain(
        'pos: -5.00 (n=1: no interval): one seed: no interval',
      );
      expect(formatHeadline(headline)).toContain(
        '  pos score: STL 92.50 ± 3.54 (n=2) | MTL-2 85.00 (n=1)  Δ -5.00 (n=1: no interval): one seed: no interval',
      );
    });

    it('does not test under-trained tasks (STL mean below the learning floor): not tested when all are', () => {
      // NER and SRL as the CPU study left them: STL F1 0.048 and 0.105, floors 0.20 and 0.30.
      const underTrained = scoreStudy({
        // Differences 0.07, 0.08, 0.086 and 0.09, 0.085, 0.095: both intervals above 0.
        ner: { stl: [0.04, 0.05, 0.054], mtl: [0.11, 0.13, 0.14] },
        srl: { stl: [0.06, 0.1, 0.155], mtl: [0.15, 0.185, 0.25] },
      });
      const headline = studyHeadline(underTrained);
      expect(headline.scores.map((s) => s.outcome)).toEqual(['under-trained', 'under-trained']);
      const claim = headline.claims[0]!;
      expect(claim.verdict).toBe('not tested');
      expect(claim.numbers).toContain('every task is under-trained (STL below its learning floor)');
      expect(claim.numbers[1]).toBe(
        'ner: +7.87 [95%: +5.86, +9.87] (n=3): not tested: under-trained (STL 4.80 < learning floor 20.00)',
      );
      // Lower floors (the study config's learningFloors) put them back under test.
      const lowered = studyHeadline(underTrained, { learningFloors: { ner: 0.01, srl: 0.01 } });
      expect(lowered.scores.map((s) => s.outcome)).toEqual(['above', 'above']);
      expect(lowered.claims[0]!.verdict).toBe('not reproduced');
      // An under-trained task beside a tested one is left out of the count.
      const mixed = studyHeadline(
        scoreStudy({
          pos: { stl: [0.9, 0.92, 0.94], mtl: [0.88, 0.89, 0.915] },
          ner: { stl: [0.04, 0.05, 0.054], mtl: [0.11, 0.13, 0.14] },
        }),
      );
      expect(mixed.claims[0]!.verdict).toBe('reproduced');
      expect(mixed.claims[0]!.numbers.at(-1)).toBe(
        'of 1 tested task(s) with an interval: 1 below, 0 above, 0 inconclusive; 1 under-trained (not tested)',
      );
    });

    it('has not enough data without both settings', () => {
      const headline = studyHeadline(scoreStudy({ pos: { stl: [0.9], mtl: [] } }));
      expect(headline.claims[0]!.verdict).toBe('not enough data');
    });
  });

  it('Student t: the table for small df, the Cornish-Fisher expansion beyond', () => {
    expect(studentT975(1)).toBeCloseTo(12.7062047, 7);
    expect(studentT975(2)).toBeCloseTo(4.3026527, 7);
    expect(studentT975(30)).toBeCloseTo(2.0422725, 7);
    // scipy.stats.t.ppf(0.975, df): 2.0395134 (31), 2.0002978 (60), 1.9839715 (100).
    expect(studentT975(31)).toBeCloseTo(2.0395134, 6);
    expect(studentT975(60)).toBeCloseTo(2.0002978, 7);
    expect(studentT975(100)).toBeCloseTo(1.9839715, 7);
    expect(() => studentT975(0)).toThrow();
    expect(meanInterval([0.5])).toEqual({ mean: 0.5, n: 1 });
  });

  it('sign test: exact two-sided binomial p, ties dropped before', () => {
    // 9 of 10 below: 2 * (C(10,0) + C(10,1)) / 2^10 = 22 / 1024.
    expect(signTestP(9, 1)).toBe(22 / 1024);
    expect(signTestP(1, 9)).toBe(22 / 1024);
    // 6 of 6: 2 / 64; 2 of 2: 2 / 4.
    expect(signTestP(6, 0)).toBe(2 / 64);
    expect(signTestP(2, 0)).toBe(0.5);
    // Balanced: capped at 1; nothing to compare: 1.
    expect(signTestP(3, 3)).toBe(1);
    expect(signTestP(0, 0)).toBe(1);
    // The paper's POS count, 45 of 49: far beyond noise.
    expect(signTestP(45, 4)).toBeLessThan(1e-8);
  });

  describe('claim 3: STL specialises (beyond the STL spread), MTL-5 gives it back on most labels (sign test)', () => {
    /** Ten labels; per setting and seed, each label's best-head accuracy. */
    const LABELS = ['A', 'B', 'C', 'D', 'E', 'F', 'G', 'H', 'I', 'J'];
    const uniformLabels = (value: number) => Object.fromEntries(LABELS.map((l) => [l, value]));
    function probeStudy(settings: {
      static: Record<string, number>;
      stl: Array<Record<string, number>>;
      mtl: Array<Record<string, number>>;
    }): Study {
      const runs: RunEntry[] = [];
      const probes: Study['probes'] = [
        {
          file: '/synthetic/static/probe-pos.json',
          name: 'static',
          result: probeResult('pos', settings.static, {
            model: 'm',
            kind: 'static',
            dataset: 'd',
          }),
        },
      ];
      const add = (kind: 'stl' | 'mtl', labels: Record<string, number>, seed: number) => {
        const tasks = kind === 'stl' ? ['pos'] : ['pos', 'dep'];
        const directory = `/synthetic/${kind}-s${seed}`;
        runs.push({ directory, name: kind, seed, tasks, scores: {} });
        probes.push({
          file: `${directory}/analyses/probe/probe-pos.json`,
          name: `${kind}-s${seed}`,
          result: probeResult('pos', labels, { model: directory, kind: 'run', dataset: 'd' }),
          runDirectory: directory,
        });
      };
      settings.stl.forEach((labels, k) => add('stl', labels, k + 1));
      settings.mtl.forEach((labels, k) => add('mtl', labels, k + 1));
      return { runs, probes, gates: [], overlaps: [], problems: [] };
    }
    /** MTL below STL by 0.15 on nine labels, above by 0.15 on J. */
    const mtlOf = (stl: number) => ({ ...uniformLabels(stl - 0.15), J: stl + 0.15 });

    it('supports: gain beyond the STL spread, MTL-5 below on 9 of 10 labels (p = 0.0215); share given back by hand', () => {
      // Static 0.70; STL macros 0.88, 0.90, 0.92 (gain 0.20, sd 0.02, half-width
      // 4.3027 * 0.02 / sqrt 3 = 0.049683); MTL macros 0.73 + 0.03 = 0.76 ... : mean 0.78.
      const headline = studyHeadline(
        probeStudy({
          static: uniformLabels(0.7),
          stl: [0.88, 0.9, 0.92].map(uniformLabels),
          mtl: [0.88, 0.9, 0.92].map(mtlOf),
        }),
      );
      const pos = headline.probes[0]!;
      expect(pos.gain!.mean).toBeCloseTo(0.2, 12);
      expect(pos.gain!.low).toBeCloseTo(0.2 - 0.049683, 6);
      // MTL macro: (9 * (s - 0.15) + (s + 0.15)) / 10 = s - 0.12: given back 0.12 of 0.20.
      expect(pos.givenBack).toBeCloseTo(0.12, 12);
      expect(pos.shareGivenBack).toBeCloseTo(0.6, 12);
      expect(pos.mtlBelowStl).toEqual({ below: 9, above: 1, of: 10, p: 22 / 1024 });
      expect(pos.outcome).toBe('supports');
      const claim = headline.claims[2]!;
      expect(claim.verdict).toBe('reproduced');
      expect(claim.numbers).toContain(
        'pos centroid: STL − static +20.00 [95%: +15.03, +24.97] (n=3); STL − MTL-2 +12.00, 60% of the gain given back; MTL-2 below STL on 9 of 10 labels, above on 1, sign test p = 0.021: supports',
      );
    });

    it('is inconclusive when the gain is within the STL spread, even with a significant sign test', () => {
      // STL macros 0.80, 0.81, 0.82 over static 0.80: gain 0.01 ± 0.0248: holds 0.
      const headline = studyHeadline(
        probeStudy({
          static: uniformLabels(0.8),
          stl: [0.8, 0.81, 0.82].map(uniformLabels),
          mtl: [0.8, 0.81, 0.82].map(mtlOf),
        }),
      );
      const pos = headline.probes[0]!;
      expect(pos.outcome).toBe('inconclusive');
      expect(headline.claims[2]!.verdict).toBe('inconclusive');
      expect(headline.claims[2]!.numbers.at(-1)).toMatch(
        /sign test p = 0\.021: inconclusive \(the gain is within the STL spread\)$/,
      );
    });

    it('is inconclusive when the labels shift within the noise (p >= 0.05)', () => {
      // MTL below on 6, above on 4: p = 2 * (1 + 10 + 45 + 120 + 210) / 1024 = 0.754.
      const mixed = (stl: number) => ({
        ...uniformLabels(stl - 0.01),
        G: stl + 0.01,
        H: stl + 0.01,
        I: stl + 0.01,
        J: stl + 0.01,
      });
      const headline = studyHeadline(
        probeStudy({
          static: uniformLabels(0.7),
          stl: [0.88, 0.9, 0.92].map(uniformLabels),
          mtl: [0.88, 0.9, 0.92].map(mixed),
        }),
      );
      expect(headline.probes[0]!.mtlBelowStl!.p).toBeCloseTo(772 / 1024, 12);
      expect(headline.probes[0]!.outcome).toBe('inconclusive');
      expect(headline.claims[2]!.verdict).toBe('inconclusive');
    });

    it('counts labels whose means differ only by float rounding as ties, dropped from the sign test', () => {
      // Label J: STL 0.1, 0.2, 0.3 and MTL 0.3, 0.2, 0.1 per seed; the two sums differ in the
      // last bit (0.6000000000000001 vs 0.6) but the means are the same.
      const headline = studyHeadline(
        probeStudy({
          static: uniformLabels(0.7),
          stl: [0.1, 0.2, 0.3].map((j, k) => ({ ...uniformLabels(0.88 + 0.02 * k), J: j })),
          mtl: [0.3, 0.2, 0.1].map((j, k) => ({ ...uniformLabels(0.73 + 0.02 * k), J: j })),
        }),
      );
      expect(headline.probes[0]!.mtlBelowStl).toEqual({ below: 9, above: 0, of: 10, p: 2 / 512 });
      expect(headline.claims[2]!.numbers.at(-1)).toContain(
        'below STL on 9 of 10 labels, above on 0, 1 tied (dropped), sign test p = 0.004',
      );
    });

    it('goes against the claim when MTL-5 is above STL on most labels beyond noise; no share without a gain', () => {
      const above = (stl: number) => ({ ...uniformLabels(stl + 0.05), J: stl - 0.05 });
      const headline = studyHeadline(
        probeStudy({
          static: uniformLabels(0.9),
          stl: [0.88, 0.9, 0.92].map(uniformLabels),
          mtl: [0.88, 0.9, 0.92].map(above),
        }),
      );
      const pos = headline.probes[0]!;
      expect(pos.gain!.mean).toBeCloseTo(0, 12);
      expect(pos.shareGivenBack).toBeUndefined();
      expect(pos.mtlBelowStl).toEqual({ below: 1, above: 9, of: 10, p: 22 / 1024 });
      expect(pos.outcome).toBe('against');
      expect(headline.claims[2]!.verdict).toBe('not reproduced');
      expect(headline.claims[2]!.numbers.at(-1)).toContain(
        'share given back undefined: no gain over static',
      );
      // With a gain, MTL-5 above STL gives a negative share: said in words.
      const negative = studyHeadline(
        probeStudy({
          static: uniformLabels(0.7),
          stl: [0.88, 0.9, 0.92].map(uniformLabels),
          mtl: [0.88, 0.9, 0.92].map(above),
        }),
      );
      // MTL macro s + 0.04: given back -0.04 of a gain of 0.20.
      expect(negative.probes[0]!.shareGivenBack).toBeCloseTo(-0.2, 12);
      expect(negative.claims[2]!.numbers.at(-1)).toContain(
        'STL − MTL-2 -4.00, share given back -20% (MTL-2 above STL: none given back)',
      );
    });
  });

  describe('claim 2: the sharing permutation test over converged STL-DP runs', () => {
    const TASKS = ['pos', 'ner', 'dep', 'con', 'srl'];
    /** 4 layers x 8 heads, 1 on the given [layer, head] pairs, 0 elsewhere. */
    const grid = (kept: Array<[number, number]>, fill = 0): number[][] =>
      Array.from({ length: 4 }, (_, l) =>
        Array.from({ length: 8 }, (_, h) =>
          kept.some(([kl, kh]) => kl === l && kh === h) ? 1 : fill,
        ),
      );
    const entry = (task: string, seed: number, gates: number[][]): GatesEntry => ({
      file: `/synthetic/stl-dp-${task}-s${seed}/pruning/gates.json`,
      name: `stl-dp-${task}-s${seed}`,
      tasks: [task],
      seed,
      gates,
      keptHeads: gates.flat().filter((g) => g > 1e-3).length,
      undecided: gates.flat().filter((g) => g > 0 && g < 1).length,
    });
    /**
     * Nested head sets: every task claims the same 8 core heads (4 in each of two layers) and
     * task t adds 2t heads in the other layers: sizes 8, 10, 12, 14, 16 of 32.
     */
    function nested(coreLayers: [number, number]): GatesEntry[] {
      const [a, b] = coreLayers;
      const others = [0, 1, 2, 3].filter((l) => l !== a && l !== b);
      const core: Array<[number, number]> = [0, 1, 2, 3].flatMap((h) => [
        [a, h] as [number, number],
        [b, h] as [number, number],
      ]);
      const extras: Array<[number, number]> = [0, 1, 2, 3].flatMap((h) => [
        [others[0]!, h] as [number, number],
        [others[1]!, h] as [number, number],
      ]);
      return TASKS.map((task, t) => entry(task, 1, grid([...core, ...extras.slice(0, 2 * t)])));
    }
    const claimOf = (gates: GatesEntry[]) => {
      const missing: string[] = [];
      const sharing = headSharing(gates, missing);
      const headline = {
        ...base,
        pruningRuns: pruningRunLines(gates),
        ...(sharing ? { sharing } : {}),
      };
      return { claim: paperClaims(headline)[1]!, sharing, headline, missing };
    };

    it('finds nested sets in the middle layers shared above chance; an undecided run is left out and named', () => {
      // pos's second run stopped with undecided gates (0.5 on every head it did not keep).
      const undecided = entry('pos', 2, grid([[0, 0]], 0.5));
      const { claim, sharing, headline } = claimOf([...nested([1, 2]), undecided]);
      expect(undecided.undecided).toBe(31);
      expect(sharing!.test.tasks).toEqual([
        { task: 'pos', runs: 1, claimed: 8 },
        { task: 'ner', runs: 1, claimed: 10 },
        { task: 'dep', runs: 1, claimed: 12 },
        { task: 'con', runs: 1, claimed: 14 },
        { task: 'srl', runs: 1, claimed: 16 },
      ]);
      expect(sharing!.test.stemCells).toHaveLength(8);
      expect(sharing!.layers.map((l) => l.observed)).toEqual([0, 4, 4, 0]);
      const all = sharing!.test.statistics.find((s) => s.id === 'claimed-by-all')!;
      expect(all.observed).toBe(8);
      // Uniform null mean: 32 * (8 * 10 * 12 * 14 * 16) / 32^5 = 0.205.
      expect(all.uniform.mean).toBeCloseTo(0.205, 1);
      expect(all.uniform.pAbove).toBeLessThan(0.001);
      expect(all.withinLayer.pAbove).toBeLessThan(0.001);
      expect(claim.verdict).toBe('reproduced');
      expect(claim.numbers[0]).toBe(
        '5 of 6 STL-DP runs decided every gate (final evaluation gates all 0 or 1); undecided gates: stl-dp-pos-s2 31 (left out)',
      );
      // Per layer the uniform null expects 0.205 / 4 = 0.05 stem cells: half of them in 2 and 3.
      expect(
        claim.numbers.find((n) => n.startsWith('8 of 8 stem cells in the middle layers (2, 3)')),
      ).toMatch(
        /^8 of 8 stem cells in the middle layers \(2, 3\); the uniform null puts (49|50|51)% of them there; per layer, observed \/ uniform null mean: L1 0 \/ 0\.\d\d, L2 4 \/ 0\.\d\d, L3 4 \/ 0\.\d\d, L4 0 \/ 0\.\d\d$/,
      );
      expect(claim.numbers.at(-1)).toBe(
        'sharing above chance under every null, mostly in the middle layers',
      );
      expect(
        claim.numbers.some((n) =>
          n.startsWith(
            'heads claimed by all 5 tasks (stem cells): observed 8; null mean [95%] and one-sided p: uniform 0.2',
          ),
        ),
      ).toBe(true);
      // The headline marks the undecided run.
      const text = formatHeadline({ ...headline, claims: [] } as StudyHeadline).join('\n');
      expect(text).toContain(
        '5 of 6 pruning runs decided every gate (final evaluation gates all 0 or 1); undecided gates per run (left out of claim 2): stl-dp-pos-s2 31',
      );
      // The sharing section: claimed by all, by at least 3 and 4 of 5 (a majority up), Jaccard.
      expect(text).toContain('  stem cells: 8 of 32; per layer L1 0 (uniform null 0.');
      expect(text).toContain('  heads claimed by at least 3 of 5 tasks: observed 12; ');
      expect(text).toContain('  heads claimed by at least 4 of 5 tasks: observed 10; ');
      expect(text).not.toContain('heads claimed by at least 2 of 5');
      expect(text).toMatch(/ {2}mean Jaccard index .*: observed 0\.\d\d; /);
    });

    it('is inconclusive when the shared heads sit in the outer layers', () => {
      const { claim } = claimOf(nested([0, 3]));
      expect(claim.verdict).toBe('inconclusive');
      expect(claim.numbers.at(-1)).toBe(
        'sharing above chance under every null, but not mostly in the middle layers',
      );
    });

    it('is not reproduced when tasks share fewer heads than every null gives', () => {
      // Task t drops head t of every layer and keeps the other 28: the dropped sets are
      // disjoint, so only 12 heads are claimed by all (chance: 32 * (7/8)^5 = 16.4).
      const gates = TASKS.map((task, t) =>
        entry(
          task,
          1,
          grid(
            [0, 1, 2, 3].flatMap((l) =>
              [0, 1, 2, 3, 4, 5, 6, 7]
                .filter((h) => h !== t)
                .map((h) => [l, h] as [number, number]),
            ),
          ),
        ),
      );
      const { claim, sharing } = claimOf(gates);
      const all = sharing!.test.statistics.find((s) => s.id === 'claimed-by-all')!;
      expect(all.observed).toBe(12);
      expect(all.uniform.pBelow).toBeLessThan(0.05);
      expect(all.withinLayer.pBelow).toBeLessThan(0.05);
      expect(claim.verdict).toBe('not reproduced');
    });

    it('says not tested when no pruning run decided all its gates, not enough data with two tasks', () => {
      const undecidedOnly = nested([1, 2]).map((g) =>
        entry(
          g.tasks[0]!,
          1,
          g.gates.map((row) => row.map((v) => (v === 0 ? 0.2 : v))),
        ),
      );
      const none = claimOf(undecidedOnly);
      expect(none.sharing).toBeUndefined();
      expect(none.claim.verdict).toBe('not tested');
      expect(none.claim.numbers[0]).toBe('not tested: no pruning run decided all its gates');
      expect(formatHeadline({ ...none.headline, claims: [] } as StudyHeadline)).toContain(
        'Head sharing: not tested: no pruning run decided all its gates',
      );
      // Only pos and ner converged.
      const two = claimOf([...nested([1, 2]).slice(0, 2), ...undecidedOnly.slice(2)]);
      expect(two.sharing!.test.tasks.map((t) => t.task)).toEqual(['pos', 'ner']);
      expect(two.claim.verdict).toBe('not enough data');
      expect(two.claim.numbers.at(-1)).toBe(
        'only 2 tasks with converged runs: "most tasks" needs at least three',
      );
    });

    it('does not test runs of encoders of different shapes together', () => {
      const other = entry('srl', 1, [
        [1, 0],
        [1, 1],
      ]);
      const { claim, sharing, missing } = claimOf([...nested([1, 2]).slice(0, 4), other]);
      expect(sharing).toBeUndefined();
      expect(missing).toEqual([
        "head sharing: the gates of stl-dp-srl-s1 do not have stl-dp-pos-s1's shape 4 x 8; pruning runs of different encoders cannot be tested together",
      ]);
      expect(claim.verdict).toBe('not enough data');
      expect(claim.numbers.at(-1)).toBe(
        "no sharing test: the converged runs' gates differ in shape (see Missing)",
      );
    });

    it('middle layers are the middle half: 4 layers 2-3, 12 layers 4-9, 3 layers 2, 2 layers none', () => {
      expect(middleLayers(4)).toEqual([1, 2]);
      expect(middleLayers(12)).toEqual([3, 4, 5, 6, 7, 8]);
      expect(middleLayers(3)).toEqual([1]);
      expect(middleLayers(2)).toEqual([]);
    });
  });

  it('evidence follows the encoder: a random encoder makes claims 2 and 3 no evidence', () => {
    const claims = paperClaims({
      ...base,
      encoder: { ...base.encoder, status: 'random', headsAreEvidence: false, pretrained: false },
    });
    expect(claims.map((c) => c.evidence)).toEqual([false, false, false]);
  });
});
