/**
 * Reads a built ewt-5 folder: the `.conllu` of a split gives words, POS (XPOS) and DEP, the
 * `.gold_conll` beside it gives CON (function tags and empty elements stripped) and SRL for
 * the same sentences in the same order.
 */
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import type { AnnotationLayer, Sentence, Split } from '@stem/core';
import { CorpusNotFoundError, DataFormatError } from '../errors.js';
import { conll2012ToSentence, parseConll2012 } from '../readers/conll2012.js';
import { conlluToSentence, parseConllu } from '../readers/conllu.js';
import { normalizeTree } from '../trees/tree.js';
import type { CorpusReader } from './corpus-reader.js';
import { defaultCorpusDirectory } from './data-home.js';
import { udIdOfSkeleton } from './ewt5-alignment.js';
import { EWT5_NAME, ewt5ConlluFile, ewt5PropbankFile, ewt5ReportFile } from './ewt5-layout.js';

export class Ewt5Corpus implements CorpusReader {
  readonly layers: readonly AnnotationLayer[] = ['pos', 'upos', 'dep', 'con', 'srl'];
  readonly location: string;

  constructor(directory?: string) {
    this.location = directory ?? defaultCorpusDirectory(EWT5_NAME);
  }

  async read(split: Split): Promise<Sentence[]> {
    const conlluFile = ewt5ConlluFile(this.location, split);
    const propbankFile = ewt5PropbankFile(this.location, split);
    for (const file of [conlluFile, propbankFile]) {
      if (!existsSync(file)) {
        throw new CorpusNotFoundError(
          `ewt-5 file ${file} does not exist`,
          `Build the corpus: stem data build ewt-5 --source <PropBank release> --out ${this.location}`,
        );
      }
    }
    const ud = parseConllu(await readFile(conlluFile, 'utf8'), conlluFile).sentences;
    const skeletons = parseConll2012(await readFile(propbankFile, 'utf8'), propbankFile, {
      layout: 'propbank',
    }).documents.flatMap((d) => d.sentences);
    if (ud.length !== skeletons.length) {
      throw new DataFormatError(
        propbankFile,
        0,
        `${skeletons.length} sentences where ${conlluFile} has ${ud.length}`,
      );
    }
    return ud.map((u, k) => {
      const s = skeletons[k]!;
      const id = udIdOfSkeleton(s.doc, s.part);
      if (id !== u.id || s.rows.length !== u.words.length) {
        throw new DataFormatError(
          propbankFile,
          s.line,
          `sentence ${id ?? s.doc} does not match ${conlluFile} sentence ${u.id ?? k + 1}`,
        );
      }
      const sentence = conlluToSentence(u);
      const layers = conll2012ToSentence(s, propbankFile).annotations;
      const tree = layers.con && normalizeTree(layers.con);
      if (!tree)
        throw new DataFormatError(propbankFile, s.line, 'sentence has no constituency tree');
      sentence.annotations.con = tree;
      sentence.annotations.srl = layers.srl ?? [];
      return sentence;
    });
  }

  async report(): Promise<Record<string, unknown> | undefined> {
    const file = ewt5ReportFile(this.location);
    if (!existsSync(file)) return undefined;
    return JSON.parse(await readFile(file, 'utf8')) as Record<string, unknown>;
  }
}
