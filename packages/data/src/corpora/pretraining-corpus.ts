/**
 * `pretraining-en` as a dataset: sentences without annotations, optionally packed. Packing
 * joins consecutive sentences of one document into examples of up to `packWords` words, so
 * masked-LM batches carry context across sentence boundaries instead of many short rows.
 */
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { AnnotationLayer, Sentence, Split } from '@stem/core';
import { CorpusNotFoundError } from '../errors.js';
import { parsePlainText, type PlainTextDocument } from '../readers/plain-text.js';
import type { CorpusReader } from './corpus-reader.js';
import { defaultCorpusDirectory } from './data-home.js';
import { PRETRAINING_EN_NAME } from './pretraining-build.js';

export interface PretrainingCorpusOptions {
  /** Folder with train.txt / dev.txt / test.txt; default: <data home>/pretraining-en. */
  directory?: string;
  /** Pack consecutive sentences of a document up to this many words (0: one sentence each). */
  packWords?: number;
}

export class PretrainingCorpus implements CorpusReader {
  readonly layers: readonly AnnotationLayer[] = [];
  readonly location: string;

  constructor(private readonly options: PretrainingCorpusOptions = {}) {
    this.location = options.directory ?? defaultCorpusDirectory(PRETRAINING_EN_NAME);
  }

  async read(split: Split): Promise<Sentence[]> {
    const file = join(this.location, `${split}.txt`);
    if (!existsSync(file)) {
      throw new CorpusNotFoundError(
        `plain-text split ${file} does not exist`,
        this.options.directory
          ? 'Point `path` at a folder holding train.txt, dev.txt and test.txt (one sentence per line, blank lines between documents).'
          : 'Build it first: stem data build pretraining-en',
      );
    }
    const documents = parsePlainText(await readFile(file, 'utf8'), file);
    return packDocuments(documents, this.options.packWords ?? 0, split);
  }

  async report(): Promise<Record<string, unknown> | undefined> {
    const file = join(this.location, 'corpus.json');
    return existsSync(file)
      ? (JSON.parse(await readFile(file, 'utf8')) as Record<string, unknown>)
      : undefined;
  }
}

/**
 * One example per sentence, or sentences of a document joined while the total stays within
 * `packWords` (a longer sentence is an example of its own). Ids name the first line.
 */
export function packDocuments(
  documents: readonly PlainTextDocument[],
  packWords: number,
  prefix: string,
): Sentence[] {
  const examples: Sentence[] = [];
  for (const document of documents) {
    let words: string[] = [];
    let first = 0;
    const flush = () => {
      if (words.length > 0) {
        examples.push({ id: `${prefix}-${document.line + first}`, words, annotations: {} });
      }
      words = [];
    };
    document.sentences.forEach((sentence, k) => {
      if (packWords <= 0 || words.length + sentence.length > packWords) {
        flush();
        first = k;
      }
      words = words.concat(sentence);
    });
    flush();
  }
  return examples;
}
