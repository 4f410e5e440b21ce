import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ConfigError } from '@stem/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { planStudy } from '../src/study/study-plan.js';
import { resolveStudy, type StudySelection } from '../src/study/study-setup.js';
import type { StudySession } from '../src/study/study-session.js';
import { repositoryRoot } from './paths.js';
import { pluginSession } from './plugin-session.js';

describe('planStudy on the presets', () => {
  let session: StudySession;
  let out: string;
  const cwd = process.cwd();
  beforeAll(async () => {
    // The presets name their paths relative to the repository root, where the README runs them.
    process.chdir(repositoryRoot);
    session = await pluginSession();
    out = await mkdtemp(join(tmpdir(), 'stem-study-plan-'));
  }, 60_000);
  afterAll(() => process.chdir(cwd));

  const plan = async (preset: string, selection: Partial<StudySelection> = {}) =>
    planStudy(
      await resolveStudy({
        config: join(repositoryRoot, 'examples', preset),
        out: join(out, preset),
        ...selection,
      }),
      session.registry,
    );

  it('study-quick: one seed, five tasks, STL + MTL-5 + pruning + probes, stem-mini present', async () => {
    const result = await plan('study-quick.yaml');
    expect(result.tasks).toEqual(['pos', 'ner', 'dep', 'con', 'srl']);
    expect(result.seeds).toEqual([1]);
    expect(result.runs.map((r) => r.directory)).toContain('runs/mtl5-s1');
    expect(result.runs.map((r) => r.directory)).toContain('pruning/mtl5-dp-s1');
    expect(result.runs).toHaveLength(5 + 1 + 5 + 1);
    expect(result.probes).toHaveLength(5 + 5 + 5);
    expect(result.runs.every((r) => r.state === 'pending')).toBe(true);
    // The encoder ships in the repository: nothing it names is missing but (maybe) ewt-5.
    expect(result.missing.filter((m) => !m.startsWith('ewt-5'))).toEqual([]);
  });

  it('study-cpu: three seeds of the whole grid, pairs included', async () => {
    const result = await plan('study-cpu.yaml');
    expect(result.seeds).toEqual([1, 2, 3]);
    expect(result.runs).toHaveLength(3 * (5 + 10 + 1 + 5 + 1));
    expect(result.probes).toHaveLength(5 + 3 * (5 + 20 + 5));
    // Slices: 500 training sentences per task, 16 per batch, 3 epochs.
    expect(result.runs.find((r) => r.id === 'stl-pos-s1')?.estimatedSteps).toBe(3 * 32);
    // Pruning to the paper's caps: 30 epochs, 100 for NER and SRL, 10 for MTL-DP (an epoch is
    // estimated at 32 batches of 16 of the 500 sentences per task).
    const steps = (id: string) => result.runs.find((r) => r.id === id)?.estimatedSteps;
    expect(['pos', 'dep', 'con'].map((t) => steps(`stl-dp-${t}-s1`))).toEqual([960, 960, 960]);
    expect(steps('stl-dp-srl-s2')).toBe(100 * 32);
    expect(steps('stl-dp-ner-s3')).toBe(100 * 32);
    expect(steps('mtl5-dp-s1')).toBe(10 * 5 * 32);
  });

  it('study-full: the same grid on all the data', async () => {
    const result = await plan('study-full.yaml');
    expect(result.runs).toHaveLength(3 * (5 + 10 + 1 + 5 + 1));
    // No train limit: a task counts about EWT's 12,000 sentences, 32 per batch, 5 epochs.
    expect(result.runs.find((r) => r.id === 'stl-pos-s1')?.estimatedSteps).toBe(5 * 375);
  });

  it('study-paper: validates without bert-base-cased or OntoNotes and lists them as missing', async () => {
    const result = await plan('study-paper.yaml', { only: ['stl', 'stl-dp'], seeds: 1 });
    expect(result.runs).toHaveLength(10);
    expect(result.missing.some((m) => m.startsWith('encoder.path'))).toBe(true);
    expect(result.missing.some((m) => m.includes('data/conll-2012/v4/data'))).toBe(true);
    expect(result.missing.some((m) => m.includes('data/ontonotes-sd'))).toBe(true);
  });

  it('refuses a study whose generated run config is invalid, naming the study field, run and generated file', async () => {
    const error = await plan('study-quick.yaml', { set: ['trainer.epochs=none'] }).catch(
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(ConfigError);
    expect(error).toMatchObject({ code: 'CONFIG_INVALID' });
    // The study config's own line of `trainer.epochs`, then the run and its generated file.
    expect((error as Error).message).toMatch(
      /study-quick\.yaml:44: trainer\.epochs: .*\(run stl-pos-s1, generated .*runs\/stl-pos-s1\/config\.yaml:\d+: trainer\.epochs\)/,
    );
  });
});
