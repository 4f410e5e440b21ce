import { randomBytes } from 'node:crypto';
import { open, rename, rm } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { EncoderError } from '../errors.js';

/**
 * Writes a text file of a model directory (config.json) so readers see the old or the new
 * file, never a torn one: a temporary beside it, fsync, rename. Core's atomic writer is
 * not reachable here (plugins do not import core at run time); a failure raises the same
 * WRITE_FAILED as core's, and leaves the old file and no temporary behind.
 */
export async function writeTextAtomic(file: string, text: string): Promise<void> {
  const temporary = join(
    dirname(file),
    `.${basename(file)}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`,
  );
  try {
    const handle = await open(temporary, 'w');
    try {
      await handle.writeFile(text);
      await handle.sync();
    } finally {
      await handle.close();
    }
    await rename(temporary, file);
  } catch (error) {
    await rm(temporary, { force: true });
    throw writeFailed(file, error);
  }
}

export function writeFailed(file: string, error: unknown): EncoderError {
  return new EncoderError(
    `cannot write ${file}: ${(error as Error).message}`,
    'make the output folder writable or free some space; the files it held before are unchanged',
    'WRITE_FAILED',
  );
}
