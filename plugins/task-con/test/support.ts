import { readFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Sentence, TreeNode } from '@stem/core';
import {
  conll2012ToSentence,
  normalizeTree,
  parseConll2012,
  parseConllu,
  readPropbankSource,
  udFile,
  udIdOfSkeleton,
  withWords,
} from '@stem/data';

/** The PropBank EWT skeletons packages/data carries (gold EWT trees). */
export const PROPBANK_SOURCE = join(
  dirname(fileURLToPath(import.meta.url)),
  '../../../packages/data/sources/propbank-ewt/ewt-propbank.tar.gz',
);

export interface EwtTrees {
  /** Every normalised gold tree of the skeletons read (words are `[WORD]`). */
  skeletonTrees: TreeNode[];
  /** UD EWT dev sentences with their gold tree (real words), in skeleton order. */
  devSentences: Sentence[];
}

/** Gold EWT trees from the first `files` skeleton files of the mirror, joined with UD EWT dev words. */
export async function readEwtTrees(files: number): Promise<EwtTrees> {
  const source = await readPropbankSource(PROPBANK_SOURCE);
  const devFile = udFile('en_ewt', 'dev');
  const dev = new Map(
    parseConllu(await readFile(devFile, 'utf8'), devFile).sentences.map((s) => [
      s.id,
      s.words.map((w) => w.form),
    ]),
  );
  const skeletonTrees: TreeNode[] = [];
  const devSentences: Sentence[] = [];
  for (const file of source.files.slice(0, files)) {
    const parsed = parseConll2012(file.text, file.path, { layout: 'propbank' });
    for (const skeleton of parsed.documents.flatMap((d) => d.sentences)) {
      const raw = conll2012ToSentence(skeleton, file.path).annotations.con;
      const tree = raw && normalizeTree(raw);
      if (!tree) continue;
      skeletonTrees.push(tree);
      const id = udIdOfSkeleton(skeleton.doc, skeleton.part);
      const words = id === undefined ? undefined : dev.get(id);
      if (!words || words.length !== countWords(tree)) continue;
      devSentences.push({
        id: id!,
        words: [...words],
        annotations: { con: withWords(tree, words) },
      });
    }
  }
  return { skeletonTrees, devSentences };
}

function countWords(tree: TreeNode): number {
  return tree.word !== undefined ? 1 : tree.children.reduce((n, c) => n + countWords(c), 0);
}
