/** plain-text: a folder of `train.txt`, `dev.txt`, `test.txt`, one sentence per line (readers/plain-text.ts). */
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { basename, join } from 'node:path';
import type { AnnotationLayer, Sentence, Split } from '@stem/core';
import { CorpusNotFoundError } from '../errors.js';
import { parsePlainText } from '../readers/plain-text.js';
import type { CorpusReader } from './corpus-reader.js';

export class PlainTextCorpus implements CorpusReader {
  readonly layers: readonly AnnotationLayer[] = [];

  constructor(readonly location: string) {}

  async read(split: Split): Promise<Sentence[]> {
    const file = join(this.location, `${split}.txt`);
    if (!existsSync(file))
      throw new CorpusNotFoundError(
        `${file} does not exist`,
        `a plain-text corpus is a folder with train.txt, dev.txt and test.txt (one sentence per line); set the dataset's path to it`,
      );
    return parsePlainText(await readFile(file, 'utf8'), `${basename(this.location)}/${split}.txt`);
  }
}
