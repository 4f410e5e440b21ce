import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, readdir, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import { cliRoot } from './run-stem.js';

const SCRIPT = join(cliRoot, 'scripts', 'copy-study-docs.mjs');

function copy(...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(process.execPath, [SCRIPT, ...args], (error, stdout, stderr) =>
      resolve({ code: error ? Number(error.code ?? 1) : 0, stdout, stderr }),
    );
  });
}

async function files(root: string, folder = root): Promise<string[]> {
  const out: string[] = [];
  for (const entry of await readdir(folder, { withFileTypes: true })) {
    const path = join(folder, entry.name);
    if (entry.isDirectory()) out.push(...(await files(root, path)));
    else out.push(relative(root, path));
  }
  return out.sort();
}

/** A study directory as `stem study` leaves it, checkpoints and a lock of a dead process included. */
async function studyDirectory(): Promise<string> {
  const study = await mkdtemp(join(tmpdir(), 'stem-copy-study-'));
  const write = async (path: string, text = '{}') => {
    await mkdir(join(study, path, '..'), { recursive: true });
    await writeFile(join(study, path), text);
  };
  await write('study.json');
  await write('runs/stl-pos-s1/results.json');
  await write('runs/stl-pos-s1/manifest.json');
  await write('runs/stl-pos-s1/checkpoints/best/model.safetensors', 'weights');
  await write('runs/stl-pos-s1/checkpoints/last/state.json');
  await write('runs/stl-pos-s1/analyses/probe/probe-pos.json');
  await write('pruning/stl-dp-pos-s1/pruning/gates.json');
  await write('pruning/stl-dp-pos-s1/checkpoints/best/head.bin', 'weights');
  await write('runs/stl-pos-s1/encoder/model.safetensors', 'weights');
  await write('report/index.html', '<html></html>');
  await write('study.lock', JSON.stringify({ pid: 2 ** 22 + 1, hostname: 'elsewhere' }));
  return study;
}

describe('apps/cli/scripts/copy-study-docs.mjs', () => {
  it('copies a study without its checkpoints, weights or lock, and refuses to overwrite without --replace', async () => {
    const study = await studyDirectory();
    const target = join(await mkdtemp(join(tmpdir(), 'stem-copy-docs-')), 'study-quick');
    // The lock names another host: a study that may still be running there.
    const locked = await copy(study, target);
    expect(locked.code).toBe(1);
    expect(locked.stderr).toContain('the study is running');
    expect(existsSync(target)).toBe(false);

    await writeFile(
      join(study, 'study.lock'),
      JSON.stringify({ pid: 2 ** 22 + 1, hostname: (await import('node:os')).hostname() }),
    );
    const first = await copy(study, target);
    expect(first.code).toBe(0);
    expect(first.stdout).toContain(
      'left out 2 checkpoints folders, 1 weight files and the lock file',
    );
    expect(await files(target)).toEqual([
      'pruning/stl-dp-pos-s1/pruning/gates.json',
      'report/index.html',
      'runs/stl-pos-s1/analyses/probe/probe-pos.json',
      'runs/stl-pos-s1/manifest.json',
      'runs/stl-pos-s1/results.json',
      'study.json',
    ]);

    await writeFile(join(target, 'old.svg'), '<svg/>');
    const again = await copy(study, target);
    expect(again.code).toBe(1);
    expect(again.stderr).toContain('--replace');
    const replaced = await copy(study, target, '--replace');
    expect(replaced.code).toBe(0);
    expect(await files(target)).not.toContain('old.svg');
  });

  it('refuses a folder without study.json', async () => {
    const empty = await mkdtemp(join(tmpdir(), 'stem-copy-empty-'));
    const result = await copy(empty, join(empty, '..', 'never'));
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('no study.json');
  });
});
