/**
 * Dependency trees from CoNLL-U or CoNLL-X files given by path, one file per split: the way
 * to parse the paper's data, OntoNotes (`conll2012`) converted to Stanford basic
 * dependencies (CoreNLP's converter writes CoNLL-X), or any other treebank. CoNLL-X has the
 * same ten columns (CPOSTAG and POSTAG land in UPOS and XPOS; PHEAD/PDEPREL are ignored).
 */
import { existsSync, readdirSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { AnnotationLayer, Sentence, Split } from '@stem/core';
import { CorpusNotFoundError } from '../errors.js';
import { conlluToSentence, parseConllu } from '../readers/conllu.js';
import type { CorpusReader } from './corpus-reader.js';

export interface ConlluFilesOptions {
  /** Folder with one `.conllu` / `.conllx` / `.conll` file per split, named after it. */
  directory?: string;
  /** Explicit files by split; they take precedence over the folder. */
  files?: Partial<Record<Split, string>>;
  pos?: 'xpos' | 'upos';
}

const EXTENSION = /\.(conllu|conllx|conll)$/i;
const SPLIT_IN_NAME: Record<Split, RegExp> = {
  train: /train/i,
  dev: /dev|valid/i,
  test: /test/i,
};

/** The file of a split in `directory`: the one dependency file whose name says the split. */
export function splitFileIn(directory: string, split: Split): string {
  if (!existsSync(directory))
    throw new CorpusNotFoundError(
      `folder ${directory} does not exist`,
      'Point `path` at a folder holding train / dev / test .conllu (or .conllx) files, or give the files as `train`, `dev`, `test`.',
    );
  const matches = readdirSync(directory)
    .filter((name) => EXTENSION.test(name) && SPLIT_IN_NAME[split].test(name))
    .sort();
  if (matches.length !== 1)
    throw new CorpusNotFoundError(
      matches.length === 0
        ? `no .conllu/.conllx/.conll file in ${directory} has "${split}" in its name`
        : `several files in ${directory} could be the ${split} split: ${matches.join(', ')}`,
      `Name the file explicitly with the dataset's \`${split}\` field.`,
    );
  return join(directory, matches[0]!);
}

export class ConlluFilesCorpus implements CorpusReader {
  readonly layers: readonly AnnotationLayer[] = ['pos', 'upos', 'dep'];
  readonly location: string;

  constructor(private readonly options: ConlluFilesOptions) {
    this.location = options.directory ?? options.files?.train ?? '';
  }

  async read(split: Split): Promise<Sentence[]> {
    const explicit = this.options.files?.[split];
    if (!explicit && !this.options.directory)
      throw new CorpusNotFoundError(
        `no ${split} file is configured`,
        `Give the dataset a \`${split}\` file or a \`path\` folder holding it.`,
      );
    const file = explicit ?? splitFileIn(this.options.directory!, split);
    if (!existsSync(file))
      throw new CorpusNotFoundError(
        `${split} file ${file} does not exist`,
        `Check the dataset's \`${split}\` (or \`path\`) setting.`,
      );
    const { sentences } = parseConllu(await readFile(file, 'utf8'), file);
    return sentences.map((s, k) =>
      conlluToSentence(s, { pos: this.options.pos ?? 'xpos', fallbackId: `${split}-${k + 1}` }),
    );
  }
}
