import { HEAD_GATES_ID } from '@stem/analyzer-pruning';
import { ConfigError } from '@stem/core';
import { describe, expect, it } from 'vitest';
import { runExperimentConfig } from '../src/study/run-config.js';
import { parseStudyConfig } from '../src/study/study-config.js';
import { expandGrid } from '../src/study/study-grid.js';

const FIVE_TASKS = `
name: five
encoder: { type: stem.encoder.transformer.v1, path: models/x }
tasks:
  pos: { type: stem.task.pos.softmax.v1, dataset: { type: stem.dataset.ewt-5.v1 } }
  ner: { type: stem.task.ner.biaffine.v1, dataset: { type: stem.dataset.gum-ner.v1 } }
  dep: { type: stem.task.dep.biaffine.v1, dataset: { type: stem.dataset.ewt-5.v1 } }
  con: { type: stem.task.con.crf.v1, dataset: { type: stem.dataset.ewt-5.v1 } }
  srl: { type: stem.task.srl.span-ranking.v1, dataset: { type: stem.dataset.ewt-5.v1 } }
trainer: { epochs: 3, encoderLearningRate: 0.0003 }
settings:
  stl: { trainer: { epochs: 5 } }
  pairs: true
  mtl5: true
pruning:
  stl-dp:
    gates: { lambda: { ner: 0.0005 }, learningRate: 0.05 }
    byTask: { srl: { trainer: { epochs: 100 } } }
  mtl-dp: { trainer: { epochs: 7 } }
probes: { pairs: true }
`;

describe('study config and grid', () => {
  it('expands five tasks into the paper grid: 5 STL, 10 pairs, MTL-5, 5 STL-DP, MTL-DP per seed', () => {
    const config = parseStudyConfig(FIVE_TASKS, 'five.yaml', ['seeds=3']);
    const grid = expandGrid(config);
    expect(grid.seeds).toEqual([1, 2, 3]);
    const count = (setting: string) => grid.runs.filter((r) => r.setting === setting).length;
    expect([count('stl'), count('pairs'), count('mtl5'), count('stl-dp'), count('mtl-dp')]).toEqual(
      [15, 30, 3, 15, 3],
    );
    expect(new Set(grid.runs.map((r) => r.directory)).size).toBe(grid.runs.length);
    expect(grid.runs.map((r) => r.directory)).toContain('runs/pair-pos+ner-s2');
    expect(grid.runs.map((r) => r.directory)).toContain('runs/mtl5-s3');
    expect(grid.runs.map((r) => r.directory)).toContain('pruning/stl-dp-srl-s1');
    expect(grid.runs.map((r) => r.directory)).toContain('pruning/mtl5-dp-s1');
    // static 5 + per seed (STL 5 + pairs 10 x 2 tasks + MTL-5 5) probes.
    expect(grid.probes).toHaveLength(5 + 3 * (5 + 20 + 5));
    expect(grid.overlapRuns).toHaveLength(15);
  });

  it('narrows the grid with --only, --tasks and --seeds; two tasks make one MTL run and no pairs', () => {
    const config = parseStudyConfig(FIVE_TASKS, 'five.yaml');
    const grid = expandGrid(config, { only: ['stl', 'mtl5'], tasks: ['dep', 'pos'], seeds: 2 });
    expect(grid.tasks).toEqual(['pos', 'dep']);
    expect(grid.runs.map((r) => r.id)).toEqual([
      'stl-pos-s1',
      'stl-dep-s1',
      'mtl2-s1',
      'stl-pos-s2',
      'stl-dep-s2',
      'mtl2-s2',
    ]);
    expect(grid.probes.some((p) => p.setting === 'static')).toBe(false);
    expect(() => expandGrid(config, { only: ['stl', 'mtl'] })).toThrow(
      /--only: unknown setting mtl/,
    );
    expect(() => expandGrid(config, { tasks: ['pos', 'xyz'] })).toThrow(/--tasks: xyz/);
  });

  it('generates each run an ordinary experiment config with its setting trainer and gates', () => {
    const config = parseStudyConfig(FIVE_TASKS, 'five.yaml');
    const grid = expandGrid(config);
    const byId = (id: string) => grid.runs.find((r) => r.id === id)!;
    const stl = runExperimentConfig(config, byId('stl-pos-s1'), '/s');
    expect(stl).toMatchObject({
      name: 'stl-pos-s1',
      seed: 1,
      trainer: { epochs: 5, encoderLearningRate: 0.0003 },
      output: { directory: '/s/runs' },
    });
    expect(Object.keys(stl['tasks'] as object)).toEqual(['pos']);
    expect(stl['trainingComponents']).toBeUndefined();
    const pair = runExperimentConfig(config, byId('pair-ner+con-s1'), '/s');
    expect(Object.keys(pair['tasks'] as object)).toEqual(['ner', 'con']);
    expect(pair['trainer']).toEqual({ epochs: 3, encoderLearningRate: 0.0003 });
    const prunedNer = runExperimentConfig(config, byId('stl-dp-ner-s1'), '/s');
    expect(prunedNer['trainingComponents']).toEqual({
      pruning: { type: HEAD_GATES_ID, lambda: 0.0005, learningRate: 0.05 },
    });
    expect(
      (runExperimentConfig(config, byId('stl-dp-srl-s1'), '/s')['trainer'] as { epochs: number })
        .epochs,
    ).toBe(100);
    // The study-wide 3 epochs do not cap a pruning run: the paper's maximum, 100 for NER
    // (it stops earlier once every gate is decided).
    expect((prunedNer['trainer'] as { epochs: number }).epochs).toBe(100);
    // No lambda for POS in the study: the plugin's paper default applies.
    const prunedPos = runExperimentConfig(config, byId('stl-dp-pos-s1'), '/s');
    expect(prunedPos['trainingComponents']).toEqual({
      pruning: { type: HEAD_GATES_ID, learningRate: 0.05 },
    });
    // The study-wide encoder rate (3e-4, for plain fine-tuning) does not leak into pruning
    // runs: they get the paper's 1e-5 and 30 epochs for POS ...
    expect(prunedPos['trainer']).toMatchObject({ epochs: 30, encoderLearningRate: 1e-5 });
    // ... while the plain runs keep the study's rate.
    expect((stl['trainer'] as Record<string, unknown>)['encoderLearningRate']).toBe(0.0003);
    const mtlDp = runExperimentConfig(config, byId('mtl5-dp-s1'), '/s');
    expect(mtlDp['trainer']).toMatchObject({ epochs: 7, encoderLearningRate: 1e-5 });
    // The pruning setting's own rate wins over the paper's.
    const ownRate = runExperimentConfig(
      parseStudyConfig(
        FIVE_TASKS.replace(
          'mtl-dp: { trainer: { epochs: 7 } }',
          'mtl-dp: { trainer: { encoderLearningRate: 2e-5 } }',
        ),
        'five.yaml',
      ),
      byId('mtl5-dp-s1'),
      '/s',
    );
    expect(ownRate['trainer']).toMatchObject({ epochs: 100, encoderLearningRate: 2e-5 });
  });

  it("probes a pretrained encoder once, a random one once per seed with that seed's initialisation", () => {
    const pretrained = expandGrid(parseStudyConfig(FIVE_TASKS, 'five.yaml', ['seeds=2']));
    const staticOf = (grid: typeof pretrained) => grid.probes.filter((p) => p.setting === 'static');
    expect(staticOf(pretrained).map((p) => p.file)).toEqual(
      ['pos', 'ner', 'dep', 'con', 'srl'].map((t) => `probes/static/probe-${t}.json`),
    );
    expect(staticOf(pretrained).every((p) => p.seed === undefined)).toBe(true);

    for (const random of [
      FIVE_TASKS.replace('path: models/x', 'path: models/x, weights: random'),
      FIVE_TASKS.replace(
        'path: models/x',
        'architecture: { arch: bert, layers: 2, heads: 2, hidden: 32 }',
      ),
    ]) {
      const grid = expandGrid(parseStudyConfig(random, 'random.yaml', ['seeds=2']));
      const probes = staticOf(grid);
      expect(probes).toHaveLength(2 * 5);
      expect(probes.filter((p) => p.seed === 2).map((p) => p.file)).toContain(
        'probes/static-s2/probe-dep.json',
      );
      expect(new Set(probes.map((p) => p.id)).size).toBe(10);
      // The probed initialisation is the one the seed's runs start from: same seed, and core
      // forks it by the config path 'encoder' for both.
      const run = grid.runs.find((r) => r.id === 'stl-dep-s2')!;
      expect(runExperimentConfig(parseStudyConfig(random, 'random.yaml'), run, '/s')['seed']).toBe(
        2,
      );
    }
  });

  it('names the file, line and field of a bad study config', () => {
    const bad = FIVE_TASKS.replace('  pairs: true', '  pairs: sometimes').replace(
      'probes: { pairs: true }',
      'probes: { pairs: true, limit: -3 }',
    );
    let error: unknown;
    try {
      parseStudyConfig(bad, 'bad.yaml');
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(ConfigError);
    const message = (error as ConfigError).message;
    const line = (text: string) => bad.split('\n').findIndex((l) => l.includes(text)) + 1;
    expect(message).toContain(`bad.yaml:${line('pairs: sometimes')}: settings.pairs`);
    expect(message).toContain(`bad.yaml:${line('limit: -3')}: probes.limit`);
    expect(() => parseStudyConfig('name: x\ntasks: {}\n', 'empty.yaml')).toThrow(/encoder/);
  });
});
