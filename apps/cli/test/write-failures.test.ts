/**
 * Writes that fail, through the CLI: a run directory the user cannot write gives WRITE_FAILED
 * naming the file (never a bare EACCES), and leaves every file written before unchanged.
 * Root writes anywhere, so as root (here and in CI) the commands run as `nobody`; an
 * ordinary user gets a read-only run directory instead.
 */
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { chmod, mkdtemp, readdir, readFile, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { skipUnless } from '@stem/testing/requirements';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { envelope, isolatedHome, runStem } from './run-stem.js';

const config = fileURLToPath(new URL('./fixtures/configs/pos-tiny.yaml', import.meta.url));
const asRoot = process.getuid?.() === 0;
const NOBODY = { uid: 65534, gid: 65534 };

/** Every file under a folder with a hash of its bytes. */
async function snapshot(directory: string): Promise<Record<string, string>> {
  const out: Record<string, string> = {};
  for (const entry of await readdir(directory, { recursive: true })) {
    const path = join(directory, entry);
    if ((await stat(path)).isFile())
      out[entry] = createHash('sha256')
        .update(await readFile(path))
        .digest('hex');
  }
  return out;
}

/** Sets the mode of a folder tree (folders and files alike get `mode`, files never +x). */
async function chmodTree(directory: string, mode: number): Promise<void> {
  await chmod(directory, mode);
  for (const entry of await readdir(directory, { recursive: true })) {
    const path = join(directory, entry);
    await chmod(path, (await stat(path)).isDirectory() ? mode : mode & 0o666);
  }
}

/** Whether `nobody` may run this Node binary (false under a 0700 folder such as /root/.nvm). */
function nobodyCanRunNode(): boolean {
  return spawnSync(process.execPath, ['-e', ''], NOBODY).status === 0;
}

// As root the commands run as `nobody`, who must be able to run this Node binary.
describe.skipIf(
  skipUnless(
    !asRoot || nobodyCanRunNode(),
    'running as root, and user nobody cannot run this Node binary (it sits under a 0700 folder), so no write can be made to fail',
  ),
)('writes that fail', () => {
  let env: NodeJS.ProcessEnv;
  let work: string;
  let run: string;
  let before: Record<string, string>;

  beforeAll(async () => {
    work = await mkdtemp(join(tmpdir(), 'stem-write-fail-'));
    env = await isolatedHome();
    const trained = await runStem(
      [
        'train',
        '-c',
        config,
        '--set',
        `output.directory=${join(work, 'runs')}`,
        '--set',
        'trainer.epochs=1',
        '--set',
        'tasks.pos.limit.train=96',
        '--json',
      ],
      env,
    );
    expect(trained.code, trained.stderr).toBe(0);
    run = envelope<{ runDirectory: string }>(trained).result.runDirectory;
    // Readable by all, writable by nobody but the owner; the owner (an ordinary user
    // running the tests) loses write access too.
    await chmodTree(work, asRoot ? 0o755 : 0o555);
    if (asRoot) {
      const home = env.STEM_DATA_DIR as string;
      await chmod(join(home, '..'), 0o777);
    }
    before = await snapshot(run);
  }, 300_000);

  afterAll(async () => {
    if (work) await chmodTree(work, 0o755);
  });

  const stem = (args: string[]) =>
    runStem([...args, '--json'], env, undefined, asRoot ? NOBODY : undefined);

  it('evaluate: WRITE_FAILED naming evaluation-dev.json; the run is unchanged', async () => {
    const result = await stem(['evaluate', run, '--split', 'dev']);
    expect(result.code, result.stderr).toBe(1);
    expect(envelope(result).error).toEqual({
      code: 'WRITE_FAILED',
      message: `cannot write ${join(run, 'evaluation-dev.json')}: the folder is not writable (EACCES)`,
      hint: expect.stringMatching(/writable.*unchanged/),
    });
    expect(await snapshot(run)).toEqual(before);
  });

  it('train --resume: WRITE_FAILED naming the run file; checkpoints and results unchanged', async () => {
    const result = await stem(['train', '--resume', run]);
    expect(result.code, result.stderr).toBe(1);
    const { error } = envelope(result);
    expect(error?.code, error?.message).toBe('WRITE_FAILED');
    expect(error?.message).toMatch(
      new RegExp(`^cannot write ${run}/[a-z./-]+: the folder is not writable \\(EACCES\\)$`),
    );
    expect(await snapshot(run)).toEqual(before);
  });

  it('predict --output into a folder it cannot write: WRITE_FAILED, nothing written', async () => {
    const input = join(await mkdtemp(join(tmpdir(), 'stem-write-in-')), 'in.txt');
    await writeFile(input, 'The cat sat .\n');
    await chmod(join(input, '..'), 0o755);
    const output = join(run, 'predictions', 'out.conllu');
    const result = await stem(['predict', run, '--input', input, '--output', output]);
    expect(result.code, result.stderr).toBe(1);
    expect(envelope(result).error).toMatchObject({
      code: 'WRITE_FAILED',
      message: expect.stringContaining(`cannot write ${join(run, 'predictions')}`),
    });
    expect(await snapshot(run)).toEqual(before);
  });
});
