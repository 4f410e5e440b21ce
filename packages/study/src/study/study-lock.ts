import { randomUUID } from 'node:crypto';
import { mkdir, link, readFile, unlink, writeFile } from 'node:fs/promises';
import { setTimeout as sleep } from 'node:timers/promises';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { StemError } from '@stem/core';

export const STUDY_LOCK_FILE = 'study.lock';

/** Who holds a study directory: written into `study.lock`. */
export interface StudyLockOwner {
  pid: number;
  hostname: string;
  startedAt: string;
}

export interface StudyLock {
  readonly file: string;
  release(): Promise<void>;
}

/**
 * Whether a process runs on this machine. EPERM means it exists but belongs to another user.
 */
function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

async function readOwner(file: string): Promise<StudyLockOwner | undefined> {
  try {
    const owner = JSON.parse(await readFile(file, 'utf8')) as Partial<StudyLockOwner>;
    if (typeof owner.pid === 'number' && typeof owner.hostname === 'string')
      return owner as StudyLockOwner;
  } catch {
    // Missing or not ours: treated by the caller.
  }
  return undefined;
}

/** Errors of `link` on file systems without hard links (some FUSE and SMB mounts, FAT). */
const NO_HARD_LINKS = new Set(['EPERM', 'ENOTSUP', 'EOPNOTSUPP', 'ENOSYS', 'EMLINK']);

/**
 * Puts the lock file in place or fails with EEXIST. A hard link of the staged copy appears
 * complete in one step; where the file system has no hard links, an exclusive create (`wx`)
 * is the fallback, whose content lands a moment after the name (see the re-read below).
 */
async function placeLock(staged: string, file: string, content: string): Promise<void> {
  try {
    await link(staged, file);
  } catch (error) {
    if (!NO_HARD_LINKS.has((error as NodeJS.ErrnoException).code ?? '')) throw error;
    await writeFile(file, content, { flag: 'wx' });
  }
}

const sameOwner = (a: StudyLockOwner | undefined, b: StudyLockOwner) =>
  a !== undefined && a.pid === b.pid && a.hostname === b.hostname && a.startedAt === b.startedAt;

/** The holder of a study directory's lock while it still runs on this machine (or elsewhere). */
export async function studyLockHolder(directory: string): Promise<StudyLockOwner | undefined> {
  const owner = await readOwner(join(directory, STUDY_LOCK_FILE));
  if (!owner) return undefined;
  return owner.hostname !== hostname() || processAlive(owner.pid) ? owner : undefined;
}

/**
 * Takes the study directory for this process, so that two `stem study` processes never train
 * the same runs or rewrite one study.json. The lock is a file naming the holder's pid and
 * host, created complete and atomically (written aside, then hard-linked into place, which
 * fails when the name exists; an exclusive create where the file system has no hard links).
 * A lock whose process no longer runs on this machine (a study killed with SIGKILL, a crashed
 * machine's reboot) is stale and taken over; a live holder, or one on another host (a shared
 * file system), is refused with what to do.
 *
 * A pid check rather than a heart-beat lock (proper-lockfile's mtime updates): a training step
 * can block the event loop for longer than any sensible staleness window, and after SIGKILL
 * the rerun should not have to wait for one.
 */
export async function lockStudy(
  directory: string,
  warn: (message: string) => void = () => {},
): Promise<StudyLock> {
  await mkdir(directory, { recursive: true });
  const file = join(directory, STUDY_LOCK_FILE);
  const me: StudyLockOwner = {
    pid: process.pid,
    hostname: hostname(),
    startedAt: new Date().toISOString(),
  };
  // Unique per call: two takers in one process (workers sharing a data home) must not share it.
  const staged = `${file}.${process.pid}.${randomUUID()}`;
  const content = `${JSON.stringify(me)}\n`;
  await writeFile(staged, content);
  try {
    for (let attempt = 0; ; attempt += 1) {
      try {
        await placeLock(staged, file, content);
        break;
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code !== 'EEXIST' || attempt >= 2) throw error;
      }
      // An unreadable lock may be one an exclusive create has named but not yet filled.
      const holder = (await readOwner(file)) ?? (await sleep(200).then(() => readOwner(file)));
      if (holder && (holder.hostname !== me.hostname || processAlive(holder.pid)))
        throw new StemError(
          `${directory} is in use by another stem study (pid ${holder.pid} on ${holder.hostname}, since ${holder.startedAt}).`,
          `Wait for it to finish or stop it, then rerun the same command: it resumes. If no such process runs (the lock came from another machine), delete ${file}.`,
          'STUDY_LOCKED',
        );
      // Stale: its process is gone. Re-read right before removing, so that a lock another
      // process has just taken over is not removed by mistake.
      const again = await readOwner(file);
      if (holder && !sameOwner(again, holder)) continue;
      warn(
        holder
          ? `taking over the lock of stem study pid ${holder.pid} (since ${holder.startedAt}), which no longer runs`
          : `replacing the unreadable lock file ${file}`,
      );
      await unlink(file).catch(() => {});
    }
  } finally {
    await unlink(staged).catch(() => {});
  }
  return {
    file,
    async release() {
      if (sameOwner(await readOwner(file), me)) await unlink(file).catch(() => {});
    },
  };
}
