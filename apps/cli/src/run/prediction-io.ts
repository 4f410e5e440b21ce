import { readFile } from 'node:fs/promises';
import { StemError, type PredictionInput, type Sentence } from '@stem/core';
import { conlluToSentence, parseConllu } from '@stem/data';

/**
 * Input of `stem predict`: a CoNLL-U file (its words are used; gold columns are kept where
 * no task predicts them) or plain text with one pre-tokenised sentence per line. The text
 * comes back too, so a task's writer can keep every line it does not predict.
 */
export async function readPredictionInput(
  file: string,
): Promise<{ sentences: Sentence[]; input: PredictionInput }> {
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
    return {
      sentences: parseConllu(text, file).sentences.map((s, i) =>
        conlluToSentence(s, { fallbackId: `${file}#${i + 1}` }),
      ),
      input: { file, format: 'conllu', text },
    };
  const sentences = text
    .split(/\r?\n/)
    .map((line, index) => ({ line, index }))
    .filter(({ line }) => line.trim() !== '')
    .map(({ line, index }) => ({
      id: `${file}:${index + 1}`,
      words: line.trim().split(/\s+/),
      annotations: {},
    }));
  return { sentences, input: { file, format: 'text', text } };
}
