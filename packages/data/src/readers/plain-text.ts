/**
 * Plain running text, the format of the pretraining corpora: one sentence per line, words
 * separated by whitespace, documents separated by blank lines. It carries no annotation, so
 * the reader only guards against files that are not text at all (binary data, NUL bytes).
 */
import { DataFormatError, splitLines } from '../errors.js';

export interface PlainTextDocument {
  /** 0-based position of the document in its file. */
  index: number;
  /** 1-based line of the document's first sentence. */
  line: number;
  sentences: string[][];
}

// Control characters other than tab never occur in running text; a file with them is binary.
const CONTROL = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]/;

export function parsePlainText(text: string, file: string): PlainTextDocument[] {
  const documents: PlainTextDocument[] = [];
  let current: PlainTextDocument | undefined;
  splitLines(text).forEach((raw, i) => {
    const line = i + 1;
    const bad = CONTROL.exec(raw);
    if (bad) {
      const code = bad[0].charCodeAt(0).toString(16).padStart(4, '0');
      throw new DataFormatError(
        file,
        line,
        `control character U+${code} in a plain-text corpus (is this a binary file?)`,
      );
    }
    if (raw.includes('\ufffd')) {
      throw new DataFormatError(file, line, 'invalid UTF-8 (replacement character U+FFFD)');
    }
    const words = raw.trim().split(/\s+/).filter(Boolean);
    if (words.length === 0) {
      current = undefined;
      return;
    }
    if (!current) {
      current = { index: documents.length, line, sentences: [] };
      documents.push(current);
    }
    current.sentences.push(words);
  });
  return documents;
}

/** The inverse of `parsePlainText`. */
export function formatPlainText(documents: ReadonlyArray<{ sentences: string[][] }>): string {
  return documents
    .filter((d) => d.sentences.length > 0)
    .map((d) => d.sentences.map((words) => `${words.join(' ')}\n`).join(''))
    .join('\n');
}
