import type { BackendInfo } from '../src/compute/backend-name.js';
import { execFile, spawnSync } from 'node:child_process';
import { chmod, mkdtemp, readdir, readFile, writeFile } from 'node:fs/promises';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { StemError } from '../src/errors.js';
import { writeFailed, writeFileAtomic, writeJsonAtomic } from '../src/run/atomic-write.js';
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

describe('writes that fail', () => {
  it('names the file, gives a hint and leaves the earlier file and no temporary behind', async () => {
    const directory = await mkdtemp(join(tmpdir(), 'stem-write-'));
    const results = join(directory, 'results.json');
    await writeJsonAtomic(results, { accuracy: 0.9 });
    // Data the file system cannot take: the write fails after the temporary was opened.
    const failed = await writeFileAtomic(results, 42 as unknown as string).catch((e) => e);
    expect(failed).toBeInstanceOf(StemError);
    expect(failed.code).toBe('WRITE_FAILED');
    expect(failed.message).toContain(`cannot write ${results}`);
    expect(failed.hint).toMatch(/unchanged/);
    expect(JSON.parse(await readFile(results, 'utf8'))).toEqual({ accuracy: 0.9 });
    expect(await readdir(directory)).toEqual(['results.json']);
  });

  it('refuses an output folder that cannot be created', async () => {
    const directory = await mkdtemp(join(tmpdir(), 'stem-write-'));
    await writeFile(join(directory, 'runs'), 'a file where a folder should be');
    const run = new RunDirectory(join(directory, 'runs', 'r1'));
    await expect(run.create()).rejects.toMatchObject({
      code: 'WRITE_FAILED',
      message: expect.stringContaining(join(directory, 'runs', 'r1', 'checkpoints')),
    });
  });

  // As root the write runs as `nobody`, who must be able to run this Node binary (not so
  // when it lives under a 0700 folder such as /root/.nvm).
  it.skipIf(process.getuid?.() === 0 && !nobodyCanRunNode())(
    'refuses a read-only folder, keeping the old file (as an unprivileged user under root)',
    async () => {
      const directory = await mkdtemp(join(tmpdir(), 'stem-write-'));
      const state = join(directory, 'state.json');
      await writeJsonAtomic(state, { step: 3 });
      await chmod(directory, 0o555);
      try {
        // Root writes into read-only folders anyway: as root (here and in CI) the write runs
        // in a child process as `nobody`, which the folder's mode really stops.
        const failed =
          process.getuid?.() === 0
            ? await writeInChild(state, { step: 6 }, { uid: NOBODY, gid: NOBODY })
            : await writeJsonAtomic(state, { step: 6 }).catch((e: StemError) => e);
        expect(failed).toMatchObject({
          code: 'WRITE_FAILED',
          message: `cannot write ${state}: the folder is not writable (EACCES)`,
          hint: expect.stringMatching(/earlier|unchanged/),
        });
      } finally {
        await chmod(directory, 0o755);
      }
      expect(JSON.parse(await readFile(state, 'utf8'))).toEqual({ step: 3 });
      expect(await readdir(directory)).toEqual(['state.json']);
    },
  );

  it('keeps the old file when the disk refuses the data halfway (file size limit)', async () => {
    const directory = await mkdtemp(join(tmpdir(), 'stem-write-'));
    const results = join(directory, 'results.json');
    await writeJsonAtomic(results, { accuracy: 0.9 });
    // `ulimit -f 1` caps files at 512 bytes: the temporary is created, then writing it
    // fails (EFBIG) the way a disk that fills up mid-write fails, for any user.
    const failed = await writeInChild(results, { scores: 'x'.repeat(4096) }, { fileLimit: 1 });
    expect(failed).toMatchObject({
      code: 'WRITE_FAILED',
      message: `cannot write ${results}: the file is larger than this process may write (file size limit) (EFBIG)`,
    });
    expect(JSON.parse(await readFile(results, 'utf8'))).toEqual({ accuracy: 0.9 });
    expect(await readdir(directory)).toEqual(['results.json']);
  });

  it('says "the disk is full" for a real ENOSPC', async () => {
    // /dev/full answers every write with ENOSPC.
    const error = await writeFile('/dev/full', 'x').catch((e: unknown) => e);
    expect((error as NodeJS.ErrnoException).code).toBe('ENOSPC');
    expect(writeFailed('/runs/r/state.json', error)).toMatchObject({
      code: 'WRITE_FAILED',
      message: 'cannot write /runs/r/state.json: the disk is full (ENOSPC)',
    });
  });
});

const NOBODY = 65534;

/** Whether `nobody` may run this Node binary (false under a 0700 folder such as /root/.nvm). */
function nobodyCanRunNode(): boolean {
  return spawnSync(process.execPath, ['-e', ''], { uid: 65534, gid: 65534 }).status === 0;
}
const coreEntry = pathToFileURL(fileURLToPath(new URL('../dist/index.js', import.meta.url))).href;

/**
 * `writeJsonAtomic(file, value)` of the built core in a child process, as another user or
 * under a file size limit; resolves to the error it raised (code, message, hint) or `null`.
 */
function writeInChild(
  file: string,
  value: unknown,
  options: { uid?: number; gid?: number; fileLimit?: number },
): Promise<{ code?: string; message?: string; hint?: string } | null> {
  const script = `import { writeJsonAtomic } from ${JSON.stringify(coreEntry)};
try { await writeJsonAtomic(process.argv[1], JSON.parse(process.argv[2])); console.log('null'); }
catch (e) { console.log(JSON.stringify({ code: e.code, message: e.message, hint: e.hint })); }`;
  const node = [process.execPath, '--input-type=module', '-e', script, file, JSON.stringify(value)];
  // A shell ignores SIGXFSZ (so the write fails with EFBIG instead of killing node) and sets the limit.
  const [command, ...args] =
    options.fileLimit === undefined
      ? node
      : ['/bin/sh', '-c', `trap '' XFSZ; ulimit -f ${options.fileLimit}; exec "$@"`, 'sh', ...node];
  return new Promise((resolve, reject) =>
    execFile(
      command as string,
      args,
      { ...(options.uid !== undefined ? { uid: options.uid, gid: options.gid } : {}) },
      (error, stdout, stderr) =>
        error ? reject(new Error(`${error.message}\n${stderr}`)) : resolve(JSON.parse(stdout)),
    ),
  );
}
