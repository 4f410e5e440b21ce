import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { lockStudy, studyLockHolder, STUDY_LOCK_FILE } from '../src/study/study-lock.js';

/** The pid of a process that has exited (so no process with it runs, barring reuse). */
function deadPid(): number {
  const child = spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))']);
  return Number(child.stdout.toString());
}

describe('study lock', () => {
  let directory: string;
  beforeEach(async () => {
    directory = await mkdtemp(join(tmpdir(), 'stem-lock-'));
  });
  afterEach(() => rm(directory, { recursive: true, force: true }));

  it('holds the directory for one process and lets go on release', async () => {
    const lock = await lockStudy(directory);
    const owner = JSON.parse(await readFile(join(directory, STUDY_LOCK_FILE), 'utf8'));
    expect(owner).toMatchObject({ pid: process.pid, hostname: hostname() });
    expect(await studyLockHolder(directory)).toMatchObject({ pid: process.pid });

    await expect(lockStudy(directory)).rejects.toMatchObject({
      code: 'STUDY_LOCKED',
      message: expect.stringContaining(`pid ${process.pid}`),
    });
    await lock.release();
    expect(existsSync(join(directory, STUDY_LOCK_FILE))).toBe(false);
    expect(await studyLockHolder(directory)).toBeUndefined();
    const again = await lockStudy(directory);
    await again.release();
    // Only the staged copies' names were used: nothing is left beside the study.
    expect(existsSync(join(directory, STUDY_LOCK_FILE))).toBe(false);
  });

  it('takes over the lock of a process that no longer runs, and says so', async () => {
    const pid = deadPid();
    await writeFile(
      join(directory, STUDY_LOCK_FILE),
      JSON.stringify({ pid, hostname: hostname(), startedAt: '2026-01-01T00:00:00.000Z' }),
    );
    expect(await studyLockHolder(directory)).toBeUndefined();
    const warnings: string[] = [];
    const lock = await lockStudy(directory, (w) => warnings.push(w));
    expect(warnings).toEqual([expect.stringContaining(`pid ${pid}`)]);
    expect(JSON.parse(await readFile(lock.file, 'utf8')).pid).toBe(process.pid);
    await lock.release();
  });

  it('replaces an unreadable lock file', async () => {
    await writeFile(join(directory, STUDY_LOCK_FILE), '{"pid": 12');
    const warnings: string[] = [];
    const lock = await lockStudy(directory, (w) => warnings.push(w));
    expect(warnings[0]).toContain('unreadable');
    await lock.release();
  });

  it('refuses a lock held from another host (a shared file system), naming the file to delete', async () => {
    await writeFile(
      join(directory, STUDY_LOCK_FILE),
      JSON.stringify({ pid: deadPid(), hostname: 'elsewhere', startedAt: 'then' }),
    );
    const error = await lockStudy(directory).catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'STUDY_LOCKED' });
    expect((error as Error).message).toContain('on elsewhere');
    expect((error as { hint: string }).hint).toContain(join(directory, STUDY_LOCK_FILE));
  });
});
