/**
 * OntoNotes 5 in CoNLL-2012 format (the paper's data): every `*_gold_conll` file under a
 * folder, split by the standard lists.
 *
 * Which split a document belongs to:
 * - with `splitLists`, a folder holding `train.txt`, `dev.txt` and `test.txt` with one
 *   document id per line (`bc/cctv/00/cctv_0001`, the id of `#begin document (...)`);
 * - otherwise by path, as the CoNLL-2012 release lays the files out: a path segment or a
 *   file-name prefix `train`, `development` / `dev`, or `test`
 *   (`v4/data/development/data/english/annotations/...`, `dev.english.v4_gold_conll`).
 *
 * Layers: POS and CON on every sentence (function tags and empty elements stripped), SRL (empty where a document has no PropBank),
 * NER except in the `pt` (Bible) genre, which OntoNotes does not annotate for names.
 */
import { existsSync } from 'node:fs';
import { readFile, readdir } from 'node:fs/promises';
import { join, relative, sep } from 'node:path';
import type { AnnotationLayer, Sentence, Split } from '@stem/core';
import { CorpusNotFoundError, DataFormatError } from '../errors.js';
import { conll2012ToSentence, parseConll2012 } from '../readers/conll2012.js';
import type { CorpusReader } from './corpus-reader.js';
import { defaultCorpusDirectory } from './data-home.js';
import { normalizeTree } from '../trees/tree.js';
import { CORPUS_SPLITS } from './splits.js';

export const CONLL2012_SUFFIX = '_gold_conll';

export interface Conll2012CorpusOptions {
  directory?: string;
  splitLists?: string;
}

const SPLIT_NAMES: Record<string, Split> = {
  train: 'train',
  development: 'dev',
  dev: 'dev',
  test: 'test',
};

/** Split of a file from its path (relative to the corpus folder), or undefined. */
export function splitOfPath(path: string): Split | undefined {
  const segments = path.split('/');
  for (const segment of segments.slice(0, -1))
    if (SPLIT_NAMES[segment]) return SPLIT_NAMES[segment];
  const prefix = /^(train|development|dev|test)[._-]/.exec(segments[segments.length - 1]!);
  return prefix ? SPLIT_NAMES[prefix[1]!] : undefined;
}

/** Document id of a `#begin document (bc/cctv/00/cctv_0001); part 000` line. */
export function documentIdOfHeader(header: string | undefined): string | undefined {
  return header ? /^#begin document \(([^)]*)\)/.exec(header)?.[1] : undefined;
}

export class Conll2012Corpus implements CorpusReader {
  readonly layers: readonly AnnotationLayer[] = ['pos', 'con', 'srl'];
  readonly location: string;

  constructor(private readonly options: Conll2012CorpusOptions = {}) {
    this.location = options.directory ?? defaultCorpusDirectory('conll2012');
  }

  async read(split: Split): Promise<Sentence[]> {
    if (!existsSync(this.location)) {
      throw new CorpusNotFoundError(
        `CoNLL-2012 folder ${this.location} does not exist`,
        'Set the dataset `path` (stem data stats --path) to the folder holding the OntoNotes *_gold_conll files (LDC2013T19 + the CoNLL-2012 scripts).',
      );
    }
    const lists = this.options.splitLists
      ? await readSplitLists(this.options.splitLists)
      : undefined;
    const files = (await readdir(this.location, { recursive: true, withFileTypes: true }))
      .filter((e) => e.isFile() && e.name.endsWith(CONLL2012_SUFFIX))
      .map((e) => join(e.parentPath, e.name))
      .sort();
    const sentences: Sentence[] = [];
    for (const file of files) {
      const path = relative(this.location, file).split(sep).join('/');
      if (!lists && splitOfPath(path) !== split) continue;
      const parsed = parseConll2012(await readFile(file, 'utf8'), file, { layout: 'conll2012' });
      for (const doc of parsed.documents) {
        const id = documentIdOfHeader(doc.header);
        if (lists && (id === undefined || lists.get(id) !== split)) continue;
        const named = !(id ?? path).startsWith('pt/');
        for (const s of doc.sentences) {
          const sentence = conll2012ToSentence(s, file);
          const tree = sentence.annotations.con && normalizeTree(sentence.annotations.con);
          if (tree) sentence.annotations.con = tree;
          else delete sentence.annotations.con;
          if (!named) delete sentence.annotations.ner;
          sentences.push(sentence);
        }
      }
    }
    return sentences;
  }
}

async function readSplitLists(folder: string): Promise<Map<string, Split>> {
  const lists = new Map<string, Split>();
  for (const split of CORPUS_SPLITS) {
    const file = join(folder, `${split}.txt`);
    if (!existsSync(file))
      throw new CorpusNotFoundError(
        `split list ${file} does not exist`,
        'A split-list folder holds train.txt, dev.txt and test.txt, one document id per line.',
      );
    const lines = (await readFile(file, 'utf8')).split(/\r?\n/);
    lines.forEach((raw, i) => {
      const id = raw
        .trim()
        .replace(/^.*annotations\//, '')
        .replace(/\.v\d+_gold_conll$/, '');
      if (id === '') return;
      const previous = lists.get(id);
      if (previous !== undefined && previous !== split)
        throw new DataFormatError(file, i + 1, `document ${id} is also in the ${previous} list`);
      lists.set(id, split);
    });
  }
  return lists;
}
