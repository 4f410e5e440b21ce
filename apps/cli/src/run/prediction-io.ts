import { readFile } from 'node:fs/promises';
import { StemError, type Sentence, type TreeNode } from '@stem/core';
import {
  conlluToSentence,
  parseConllu,
  sentenceToConllu,
  spansToBio,
  writeConllu,
  writePtb,
} from '@stem/data';

/**
 * Input of `stem predict`: a CoNLL-U file (its words are used; gold columns are kept where
 * no task predicts them) or plain text with one pre-tokenised sentence per line.
 */
export async function readPredictionInput(file: string): Promise<Sentence[]> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    throw new StemError(
      `cannot read ${file}: ${(error as Error).message}`,
      'pass a .conllu file or a text file with one tokenised sentence per line',
    );
  }
  if (/\.conllu$/i.test(file))
    return parseConllu(text, file).sentences.map((s, i) =>
      conlluToSentence(s, { fallbackId: `${file}#${i + 1}` }),
    );
  return text
    .split(/\r?\n/)
    .map((line, index) => ({ line, index }))
    .filter(({ line }) => line.trim() !== '')
    .map(({ line, index }) => ({
      id: `${file}:${index + 1}`,
      words: line.trim().split(/\s+/),
      annotations: {},
    }));
}

/**
 * CoNLL-U with the predicted POS (XPOS/UPOS) and dependency columns; entities (NER) go into
 * the MISC column as `NER=<IOB2 tag>` on every word, so one file holds every task's output.
 */
export function formatPredictions(sentences: readonly Sentence[]): string {
  return writeConllu(
    sentences.map((sentence) => {
      const conllu = sentenceToConllu(sentence);
      const entities = sentence.annotations.ner;
      if (entities) {
        const tags = spansToBio(entities, sentence.words.length);
        conllu.words.forEach((word, i) => (word.misc = `NER=${tags[i]}`));
      }
      return {
        ...conllu,
        id: sentence.id,
        comments: [`# sent_id = ${sentence.id}`, `# text = ${sentence.words.join(' ')}`],
      };
    }),
  );
}

/**
 * PTB bracketed trees of the predicted `con` layer, one per line (the input EVALB reads).
 * Words that the bracketed format cannot carry are escaped: brackets as -LRB- / -RRB-,
 * whitespace inside a word as `_`.
 */
export function formatTrees(sentences: readonly Sentence[]): string {
  return writePtb(
    sentences.map((sentence) => {
      const tree = sentence.annotations.con;
      if (!tree)
        throw new StemError(
          `sentence ${sentence.id} has no predicted constituency tree`,
          '--format ptb needs a run with a constituency (CON) task; use --format conllu otherwise',
        );
      return escapeWords(tree);
    }),
  );
}

function escapeWords(tree: TreeNode): TreeNode {
  if (tree.word !== undefined)
    return {
      label: tree.label,
      children: [],
      word: tree.word.replace(/\(/g, '-LRB-').replace(/\)/g, '-RRB-').replace(/\s+/g, '_'),
    };
  return { label: tree.label, children: tree.children.map(escapeWords) };
}
