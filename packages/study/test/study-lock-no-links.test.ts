import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';

// A file system without hard links: every link() fails as on such mounts.
vi.mock('node:fs/promises', async (original) => ({
  ...(await original<typeof import('node:fs/promises')>()),
  link: vi.fn(async () => {
    throw Object.assign(new Error('EPERM: operation not permitted, link'), { code: 'EPERM' });
  }),
}));

const { lockStudy, STUDY_LOCK_FILE } = await import('../src/study/study-lock.js');

describe('study lock without hard links', () => {
  let directory: string;
  beforeEach(async () => {
    directory = await mkdtemp(join(tmpdir(), 'stem-lock-nolink-'));
  });
  afterEach(() => rm(directory, { recursive: true, force: true }));

  it('falls back to an exclusive create: holds, refuses a second taker, releases', async () => {
    const lock = await lockStudy(directory);
    const file = join(directory, STUDY_LOCK_FILE);
    expect(JSON.parse(await readFile(file, 'utf8'))).toMatchObject({
      pid: process.pid,
      hostname: hostname(),
    });
    await expect(lockStudy(directory)).rejects.toMatchObject({ code: 'STUDY_LOCKED' });
    await lock.release();
    expect(existsSync(file)).toBe(false);
    const again = await lockStudy(directory);
    await again.release();
  });

  it('waits for a lock being written instead of replacing it as unreadable', async () => {
    const file = join(directory, STUDY_LOCK_FILE);
    // Another process has created the name and fills it a moment later.
    await writeFile(file, '');
    const filled = new Promise((resolve) => setTimeout(resolve, 50)).then(() =>
      writeFile(
        file,
        `${JSON.stringify({ pid: process.pid, hostname: hostname(), startedAt: 'now' })}\n`,
      ),
    );
    await expect(lockStudy(directory)).rejects.toMatchObject({ code: 'STUDY_LOCKED' });
    await filled;
    expect(JSON.parse(await readFile(file, 'utf8'))).toMatchObject({ startedAt: 'now' });
  });
});
