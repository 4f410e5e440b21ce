/**
 * NER corpora in token-per-line BIO files (CoNLL-2003 style, see readers/bio.ts): one file
 * per split inside a folder. File names default to `train.txt`, `dev.txt`, `test.txt` and can
 * be set per split (`eng.train`, or an absolute path).
 */
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import type { AnnotationLayer, Sentence, Split } from '@stem/core';
import { CorpusNotFoundError } from '../errors.js';
import { bioToSentence, parseBio, type BioScheme } from '../readers/bio.js';
import type { CorpusReader } from './corpus-reader.js';
import { defaultCorpusDirectory } from './data-home.js';

export interface BioCorpusOptions {
  /** Folder the split files are resolved against; default `<data home>/bio`. */
  directory?: string;
  /** File of each split, relative to `directory` or absolute. */
  files?: Partial<Record<Split, string>>;
  scheme?: BioScheme;
}

export const DEFAULT_BIO_FILES: Readonly<Record<Split, string>> = {
  train: 'train.txt',
  dev: 'dev.txt',
  test: 'test.txt',
};

export class BioCorpus implements CorpusReader {
  readonly layers: readonly AnnotationLayer[] = ['ner'];
  readonly location: string;

  constructor(private readonly options: BioCorpusOptions = {}) {
    this.location = options.directory ?? defaultCorpusDirectory('bio');
  }

  /** Where a split is read from. */
  fileOf(split: Split): string {
    return resolve(this.location, this.options.files?.[split] ?? DEFAULT_BIO_FILES[split]);
  }

  async read(split: Split): Promise<Sentence[]> {
    const file = this.fileOf(split);
    if (!existsSync(file)) {
      throw new CorpusNotFoundError(
        `BIO ${split} file ${file} does not exist`,
        `Set the dataset's \`path\` to the folder of the files and \`${split}\` to the file name (default ${DEFAULT_BIO_FILES[split]}), or give \`${split}\` as an absolute path.`,
      );
    }
    const scheme = this.options.scheme ?? 'iob2';
    return parseBio(await readFile(file, 'utf8'), file, { scheme }).map((s) =>
      bioToSentence(s, `${split}:${s.line}`, { scheme }),
    );
  }
}
