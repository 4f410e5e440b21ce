/**
 * Text a user hands stem (prediction inputs, corpora) is checked where it enters: a binary
 * file (NUL bytes), a file in another encoding (invalid UTF-8) or an empty file is refused
 * with its name and the position, rather than parsed into garbage.
 */
import { readFile } from 'node:fs/promises';
import { StemError } from '../errors.js';

export const TEXT_INPUT_INVALID = 'INPUT_INVALID';

/** Reads a UTF-8 text file; refuses missing, binary, non-UTF-8 and empty files. */
export async function readTextInput(file: string, what = 'input'): Promise<string> {
  let bytes: Buffer;
  try {
    bytes = await readFile(file);
  } catch (error) {
    throw new StemError(
      `cannot read ${what} ${file} (${(error as Error).message})`,
      'check the path and its permissions',
      TEXT_INPUT_INVALID,
    );
  }
  return decodeTextInput(bytes, file, what);
}

export function decodeTextInput(bytes: Uint8Array, file: string, what = 'input'): string {
  const nul = bytes.indexOf(0);
  if (nul >= 0) {
    throw new StemError(
      `${file}:${lineAt(bytes, nul)}: ${what} contains NUL bytes (byte ${nul}); it is a binary file, not text`,
      'pass a UTF-8 text file in the expected format',
      TEXT_INPUT_INVALID,
    );
  }
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    const bad = firstInvalidUtf8(bytes);
    throw new StemError(
      `${file}:${lineAt(bytes, bad)}: ${what} is not valid UTF-8 (byte ${bad})`,
      'convert the file to UTF-8 (e.g. `iconv -f latin1 -t utf-8`)',
      TEXT_INPUT_INVALID,
    );
  }
  if (text.startsWith('\ufeff')) text = text.slice(1);
  if (text.trim() === '') {
    throw new StemError(
      `${file}: ${what} is empty`,
      'pass a file with at least one sentence',
      TEXT_INPUT_INVALID,
    );
  }
  return text;
}

function lineAt(bytes: Uint8Array, offset: number): number {
  let line = 1;
  for (let i = 0; i < offset; i++) if (bytes[i] === 10) line++;
  return line;
}

/** Offset of the first byte that does not start or continue a well-formed UTF-8 sequence. */
function firstInvalidUtf8(bytes: Uint8Array): number {
  const decoder = new TextDecoder('utf-8', { fatal: true });
  // Binary search on prefixes would mis-handle sequences cut at the end; a linear scan is simple.
  let at = 0;
  while (at < bytes.length) {
    const lead = bytes[at]!;
    const length =
      lead < 0x80
        ? 1
        : lead >= 0xc2 && lead < 0xe0
          ? 2
          : lead >= 0xe0 && lead < 0xf0
            ? 3
            : lead >= 0xf0 && lead < 0xf5
              ? 4
              : 0;
    if (length === 0) return at;
    try {
      decoder.decode(bytes.subarray(at, at + length));
    } catch {
      return at;
    }
    at += length;
  }
  return bytes.length;
}
