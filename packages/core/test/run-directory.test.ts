import type { BackendInfo } from '../src/compute/backend-name.js';
import { mkdtemp, readdir, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { writeFileAtomic } from '../src/run/atomic-write.js';
import { RunDirectory } from '../src/run/run-directory.js';
import { createManifest, gitRevision } from '../src/run/manifest.js';
import { CORE_VERSION } from '../src/version.js';

const backend: BackendInfo = {
  requested: 'auto' as const,
  device: 'js' as const,
  backend: 'cpu',
  package: '@tensorflow/tfjs-backend-cpu',
  tfjsVersion: '4.22.0',
  skipped: [],
};

describe('writeFileAtomic', () => {
  it('replaces the content and leaves no temporary file', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'stem-atomic-'));
    const file = join(dir, 'nested', 'result.json');
    await writeFileAtomic(file, 'one');
    await writeFileAtomic(file, 'two');
    expect(await readFile(file, 'utf8')).toBe('two');
    expect(await readdir(join(dir, 'nested'))).toEqual(['result.json']);
  });

  it('keeps the previous content when a write fails', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'stem-atomic-'));
    const file = join(dir, 'checkpoint.bin');
    await writeFile(file, 'good');
    await expect(writeFileAtomic(file, {} as unknown as string)).rejects.toThrow();
    expect(await readFile(file, 'utf8')).toBe('good');
    expect(await readdir(dir)).toEqual(['checkpoint.bin']);
  });
});

describe('RunDirectory and manifest', () => {
  it('names new runs by name, UTC time and seed', () => {
    const run = RunDirectory.forNewRun(
      '/runs',
      'pos ewt',
      42,
      new Date('2026-01-02T03:04:05.678Z'),
    );
    expect(run.root).toBe('/runs/pos-ewt-20260102-030405Z-s42');
    expect(run.checkpoint('best')).toBe('/runs/pos-ewt-20260102-030405Z-s42/checkpoints/best');
  });

  it('writes and reads back a manifest with config, seed, versions and backend', async () => {
    const run = new RunDirectory(await mkdtemp(join(tmpdir(), 'stem-run-')));
    await run.create();
    const manifest = createManifest({
      name: 'x',
      seed: 5,
      config: { seed: 5 },
      command: ['train'],
      packages: [{ name: '@stem/cli', version: '0.1.0' }],
      plugins: [],
      backend,
      cwd: run.root,
    });
    await run.writeManifest(manifest);
    const read = await run.readManifest();
    expect(read).toEqual(manifest);
    expect(read.versions.core).toBe(CORE_VERSION);
    expect(read.git).toBeUndefined();
  });

  it('explains a directory that is not a run', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'stem-run-'));
    await expect(new RunDirectory(dir).readManifest()).rejects.toThrow(/manifest\.json is missing/);
    await expect(new RunDirectory(join(dir, 'nope')).readManifest()).rejects.toThrow(
      /does not exist/,
    );
  });

  it('records the git revision inside a repository', () => {
    const git = gitRevision(process.cwd());
    if (git) expect(git.revision).toMatch(/^[0-9a-f]{40}$/);
  });
});
