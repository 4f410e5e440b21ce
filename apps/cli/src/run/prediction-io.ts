import { readFile } from 'node:fs/promises';
import { StemError, type Sentence } from '@stem/core';
import {
  conlluToSentence,
  parseConllu,
  sentenceToConllu,
  spansToBio,
  writeConllu,
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
