/**
 * CoNLL-U output of predictions that keeps everything it does not predict: when the
 * prediction input was CoNLL-U, the output is that document with only the predicting task's
 * columns changed (comments, multi-word token lines, empty nodes and every other column stay
 * byte for byte); otherwise a minimal document (words only, `_` elsewhere) is built.
 * Byte-identical holds for LF files (as UD releases are); CRLF line ends come back as LF.
 * The output always ends with the blank line the format requires after the last sentence,
 * even where the input left it out: the CoNLL 2018 scorer rejects a file without it.
 */
import type { Sentence } from '@stem/core';
import { DataFormatError } from '../errors.js';
import { parseConllu, writeConllu, type ConlluSentence, type ConlluWord } from './conllu.js';

/** The prediction input verbatim, as `stem predict` hands it to a writer (see PredictionInput in @stem/core). */
export interface ConlluFillInput {
  file: string;
  format: string;
  text: string;
}

/** Writes one task's predictions into the words of one CoNLL-U sentence (mutating them). */
export type ConlluFiller = (words: ConlluWord[], sentence: Sentence) => void;

/**
 * The CoNLL-U text of `sentences` with `fill` applied: into the input document when
 * `input.format` is `conllu` (sentences must be that document's, in order), else into a fresh
 * one with `# sent_id` and `# text` comments.
 */
export function fillConllu(
  sentences: readonly Sentence[],
  input: ConlluFillInput | undefined,
  fill: ConlluFiller,
): string {
  if (input?.format !== 'conllu') {
    return writeConllu(
      sentences.map((sentence) => {
        const conllu = bareConllu(sentence);
        fill(conllu.words, sentence);
        return conllu;
      }),
    );
  }
  const document = parseConllu(input.text, input.file);
  if (document.sentences.length !== sentences.length)
    throw new DataFormatError(
      input.file,
      0,
      `${sentences.length} predicted sentences for ${document.sentences.length} sentences in the file; predict from the same file you write into`,
    );
  document.sentences.forEach((conllu, k) => {
    const sentence = sentences[k]!;
    if (conllu.words.length !== sentence.words.length)
      throw new DataFormatError(
        input.file,
        conllu.line,
        `the sentence has ${conllu.words.length} words but its prediction ${sentence.words.length}`,
      );
    fill(conllu.words, sentence);
  });
  return writeConllu(document.sentences, { finalBlankLine: true });
}

/** Replaces (or adds) one `Key=value` item of a MISC column, keeping every other item in place. */
export function setMiscItem(misc: string, key: string, value: string): string {
  const items = misc === '_' ? [] : misc.split('|');
  const at = items.findIndex((item) => item.split('=', 1)[0] === key);
  const item = `${key}=${value}`;
  if (at >= 0) items[at] = item;
  else items.push(item);
  return items.join('|');
}

function bareConllu(sentence: Sentence): ConlluSentence {
  return {
    id: sentence.id,
    comments: [`# sent_id = ${sentence.id}`, `# text = ${sentence.words.join(' ')}`],
    words: sentence.words.map((form, i) => ({
      id: i + 1,
      form,
      lemma: '_',
      upos: '_',
      xpos: '_',
      feats: '_',
      head: null,
      deprel: '_',
      deps: '_',
      misc: '_',
      line: 0,
    })),
    multiwords: [],
    emptyNodes: [],
    line: 0,
  };
}
