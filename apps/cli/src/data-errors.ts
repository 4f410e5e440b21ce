import { StemError } from '@stem/core';
import { CorpusNotFoundError, DataFormatError } from '@stem/data';

/** What to tell the user when a data file is malformed, unless the caller knows better. */
const DATA_FORMAT_HINT = 'Fix or replace the file at that line.';

/**
 * Runs a step that reads corpora and turns @stem/data's errors into StemErrors with the
 * documented `--json` codes (DATA_NOT_FOUND, DATA_FORMAT; README, "--json and error codes"),
 * and a path that cannot be read as a corpus (a file where a folder is expected, no
 * permission) into FILE_UNREADABLE. Anything else is rethrown unchanged. One place, so
 * `data build`, `data stats` and the probe sources cannot drift apart again.
 */
export async function withDataErrors<T>(
  step: () => Promise<T>,
  formatHint: string = DATA_FORMAT_HINT,
): Promise<T> {
  try {
    return await step();
  } catch (error) {
    if (error instanceof CorpusNotFoundError)
      throw new StemError(error.message, error.hint, 'DATA_NOT_FOUND');
    if (error instanceof DataFormatError)
      throw new StemError(error.message, formatHint, 'DATA_FORMAT');
    if (isUnreadablePath(error))
      throw new StemError(
        `${error.path}: cannot be read as the corpus (${error.code})`,
        'point the dataset path at the folder (or file) its reader expects; `stem data list` describes each',
        'FILE_UNREADABLE',
      );
    throw error;
  }
}

/** Node's file-system errors that mean "wrong path", not a bug: they carry the path. */
function isUnreadablePath(error: unknown): error is Error & { code: string; path: string } {
  const { code, path } = error as { code?: unknown; path?: unknown };
  return (
    error instanceof Error &&
    typeof path === 'string' &&
    typeof code === 'string' &&
    ['ENOTDIR', 'EISDIR', 'EACCES', 'EPERM'].includes(code)
  );
}
