import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { AnnotationLayer, DatasetReader, Sentence, Split } from '@stem/core';
import { conll2000ToSentence, parseConll2000 } from './conll2000.js';

/** The sample shipped in the package (derived from UD English-EWT, see data/README.md). */
export const SAMPLE_DIRECTORY = fileURLToPath(new URL('../data/ewt-chunks', import.meta.url));

export const DEFAULT_SPLIT_FILES: Readonly<Record<Split, string>> = {
  train: 'train.txt',
  dev: 'dev.txt',
  test: 'test.txt',
};

export interface Conll2000DatasetConfig {
  /** Folder the split files resolve against; default: the bundled sample. */
  path?: string;
  train: string;
  dev: string;
  test: string;
}

/** A missing split file; named like @stem/data's error so `stem` reports `DATA_NOT_FOUND`. */
export class ChunkFileNotFoundError extends Error {
  constructor(
    message: string,
    readonly hint: string,
  ) {
    super(message);
    this.name = 'CorpusNotFoundError';
  }
}

/** One CoNLL-2000 file per split; sentences carry `chunks` and `pos`. */
export class Conll2000Dataset implements DatasetReader {
  readonly layers: readonly AnnotationLayer[] = ['chunks', 'pos'];
  readonly location: string;

  constructor(private readonly config: Conll2000DatasetConfig) {
    this.location = config.path ?? SAMPLE_DIRECTORY;
  }

  fileOf(split: Split): string {
    return resolve(this.location, this.config[split]);
  }

  async read(split: Split): Promise<Sentence[]> {
    const file = this.fileOf(split);
    if (!existsSync(file))
      throw new ChunkFileNotFoundError(
        `CoNLL-2000 ${split} file ${file} does not exist`,
        `set the dataset's \`path\` to the folder of the files and \`${split}\` to the file's name (default ${DEFAULT_SPLIT_FILES[split]}), or give \`${split}\` as an absolute path`,
      );
    return parseConll2000(await readFile(file, 'utf8'), file).map((sentence) =>
      conll2000ToSentence(sentence, `${split}:${sentence.line}`),
    );
  }
}
