import { appendFile, open, rename, rm, mkdir } from 'node:fs/promises';
import { dirname, basename, join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { StemError } from '../errors.js';

/**
 * Writes a file so that readers see either the old or the new content, never a torn
 * one: write a temporary file in the same directory, fsync it, rename over the target.
 * An interrupted run therefore never loses a checkpoint or result it had written.
 */
export async function writeFileAtomic(file: string, data: string | Uint8Array): Promise<void> {
  try {
    await writeThroughTemporary(file, data);
  } catch (error) {
    throw writeFailed(file, error);
  }
}

/** A failed write (read-only folder, full disk) as a user error; the old file is untouched. */
export function writeFailed(file: string, error: unknown): StemError {
  const code = (error as NodeJS.ErrnoException).code;
  const reason =
    code === 'EACCES' || code === 'EPERM' || code === 'EROFS'
      ? 'the folder is not writable'
      : code === 'ENOSPC' || code === 'EDQUOT'
        ? 'the disk is full'
        : code === 'EFBIG'
          ? 'the file is larger than this process may write (file size limit)'
          : (error as Error).message;
  return new StemError(
    `cannot write ${file}: ${reason} (${code ?? 'error'})`,
    'make the output folder writable or free some space, then resume the run; files written before (checkpoints, results) are unchanged',
    'WRITE_FAILED',
  );
}

async function writeThroughTemporary(file: string, data: string | Uint8Array): Promise<void> {
  const directory = dirname(file);
  await mkdir(directory, { recursive: true });
  const temporary = join(
    directory,
    `.${basename(file)}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`,
  );
  const handle = await open(temporary, 'w');
  try {
    await handle.writeFile(data);
    await handle.sync();
  } catch (error) {
    await handle.close();
    await rm(temporary, { force: true });
    throw error;
  }
  await handle.close();
  try {
    await rename(temporary, file);
  } catch (error) {
    await rm(temporary, { force: true });
    throw error;
  }
  await syncDirectory(directory);
}

/**
 * Appends to a log-like file (metrics.ndjson): not atomic, but a failure is the same clear
 * WRITE_FAILED as any other write, and the lines written before stay as they were.
 */
export async function appendToFile(file: string, text: string): Promise<void> {
  try {
    await appendFile(file, text);
  } catch (error) {
    throw writeFailed(file, error);
  }
}

export async function writeJsonAtomic(file: string, value: unknown): Promise<void> {
  await writeFileAtomic(file, `${JSON.stringify(value, null, 2)}\n`);
}

/** Persists the rename itself (the directory entry); not supported on every platform. */
async function syncDirectory(directory: string): Promise<void> {
  try {
    const handle = await open(directory, 'r');
    try {
      await handle.sync();
    } finally {
      await handle.close();
    }
  } catch {
    // Windows cannot open directories; the rename is still atomic there.
  }
}
