import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cliNotBuilt, envelope, isolatedHome, repositoryRoot, runStem } from './run-stem.js';

interface Stats {
  id: string;
  splits: Record<string, { sentences: number; tokens: number }>;
  labels: Record<string, Record<string, number>>;
  report?: { alignment: { rate: number; unaligned: { id: string; reason: string }[] } };
}

const PROPBANK_SOURCE = join(
  repositoryRoot,
  'packages/data/sources/propbank-ewt/ewt-propbank.tar.gz',
);

describe.skipIf(cliNotBuilt('commands/data/stats.js'))('stem data', () => {
  let env: NodeJS.ProcessEnv;
  let home: string;

  beforeAll(async () => {
    home = await mkdtemp(join(tmpdir(), 'stem-data-home-'));
    env = { ...(await isolatedHome()), STEM_DATA_HOME: home };
  });
  afterAll(async () => {
    await rm(home, { recursive: true, force: true });
  });

  it('lists the registered corpora and whether each is there', async () => {
    const run = await runStem(['data', 'list', '--json'], env);
    expect(run.code, run.stderr).toBe(0);
    const { result } = envelope<{
      datasets: { id: string; name?: string; available?: boolean; buildable: boolean }[];
    }>(run);
    const byName = Object.fromEntries(result.datasets.map((d) => [d.name, d]));
    expect(byName['ud-ewt']).toMatchObject({ id: 'stem.dataset.ud-ewt.v1', available: true });
    expect(byName['ewt-5']).toMatchObject({ buildable: true, available: false });
  });

  it('counts the UD EWT splits: 12,544 / 2,001 / 2,077 sentences', async () => {
    const run = await runStem(['data', 'stats', 'ud-ewt', '--json'], env);
    expect(run.code, run.stderr).toBe(0);
    const { result } = envelope<Stats>(run);
    expect(result.id).toBe('stem.dataset.ud-ewt.v1');
    expect(
      Object.fromEntries(Object.entries(result.splits).map(([split, n]) => [split, n.sentences])),
    ).toEqual({ train: 12544, dev: 2001, test: 2077 });
    expect(result.labels['pos']!['NN']).toBeGreaterThan(0);
  });

  it('names an unknown dataset and the known ones', async () => {
    const run = await runStem(['data', 'stats', 'no-such-corpus', '--json'], env);
    expect(run.code).not.toBe(0);
    expect(envelope(run).error).toMatchObject({ code: 'UNKNOWN_DATASET' });
  });

  it('explains how to build ewt-5 before it is built', async () => {
    const run = await runStem(['data', 'stats', 'ewt-5'], env);
    expect(run.code).not.toBe(0);
    expect(run.stderr).toMatch(/stem data build ewt-5/);
  });

  it('builds ewt-5 from the PropBank mirror into the data home and reports its stats', async () => {
    const build = await runStem(
      ['data', 'build', 'ewt-5', '--source', PROPBANK_SOURCE, '--json'],
      env,
    );
    expect(build.code, build.stderr).toBe(0);
    const built = envelope<{ out: string; alignment: { rate: number } }>(build).result;
    expect(built.out).toBe(join(home, 'ewt-5'));
    expect(built.alignment.rate).toBeGreaterThanOrEqual(0.99);
    const run = await runStem(['data', 'stats', 'stem.dataset.ewt-5.v1', '--json'], env);
    expect(run.code, run.stderr).toBe(0);
    const stats = envelope<Stats>(run).result;
    expect(Object.keys(stats.labels['srl']!)).toEqual(
      expect.arrayContaining(['ARG0', 'ARG1', 'ARGM-TMP']),
    );
    expect(Object.keys(stats.labels['con']!)).toEqual(expect.arrayContaining(['S', 'NP', 'VP']));
    expect(stats.report!.alignment.rate).toBe(built.alignment.rate);
    expect(stats.report!.alignment.unaligned.every((u) => u.id !== '' && u.reason !== '')).toBe(
      true,
    );
  });
});
