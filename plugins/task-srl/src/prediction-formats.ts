import type { PredictionFormat, PredictionInput, Sentence } from '@stem/core';
import { framesToColumns, parseConllu } from '@stem/data';

/**
 * Lemmas of the input's words when it is CoNLL-U (its LEMMA column, `_` as none), one list
 * per sentence in input order; none for plain text.
 */
function inputLemmas(input: PredictionInput | undefined): (string | undefined)[][] | undefined {
  if (input?.format !== 'conllu') return undefined;
  return parseConllu(input.text, input.file).sentences.map((s) =>
    s.words.map((w) => (w.lemma === '_' ? undefined : w.lemma)),
  );
}

/**
 * The target column: at each predicate the lemma srl-eval.pl compares with the gold file's
 * (the frame's own lemma, else the input's LEMMA, else the word form, which srl-eval.pl
 * reports as "props do not match" wherever it differs from the gold lemma); `-` elsewhere.
 */
function targetColumn(sentence: Sentence, lemmas: readonly (string | undefined)[] | undefined) {
  const targets = sentence.words.map(() => '-');
  for (const frame of sentence.annotations.srl ?? [])
    targets[frame.predicate] =
      frame.lemma ?? lemmas?.[frame.predicate] ?? (sentence.words[frame.predicate] as string);
  return targets;
}

/**
 * `stem predict` output of the SRL task: CoNLL-2005 "props" columns, the input of
 * srl-eval.pl. One line per word: the target column (`targetColumn`), then one argument
 * column per frame in predicate order with the predicate itself as `(V*)`; a blank line after
 * each sentence. A sentence without frames gets only the target column. Predict from the
 * CoNLL-U file (ewt-5's `<split>.conllu`) rather than plain text so the targets are lemmas.
 */
export const srlPredictionFormats: readonly PredictionFormat[] = [
  {
    name: 'props',
    extension: 'props',
    description: 'CoNLL-2005 props columns: target column, then one argument column per predicate',
    write: (sentences, { input }) => {
      const lemmas = inputLemmas(input);
      return sentences
        .map((sentence, s) => {
          const frames = [...(sentence.annotations.srl ?? [])].sort(
            (a, b) => a.predicate - b.predicate,
          );
          const targets = targetColumn(sentence, lemmas?.[s]);
          const columns = framesToColumns(frames, sentence.words.length);
          return (
            targets
              .map((target, i) => [target, ...columns.map((column) => column[i])].join('\t'))
              .join('\n') + '\n'
          );
        })
        .join('\n');
    },
  },
];
