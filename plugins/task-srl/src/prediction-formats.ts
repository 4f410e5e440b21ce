import type { PredictionFormat } from '@stem/core';
import { framesToColumns } from '@stem/data';

/**
 * `stem predict` output of the SRL task: CoNLL-2005 "props" columns, the input of
 * srl-eval.pl. One line per word: the target column (the predicate's lemma, else its word
 * form, at each predicate; `-` elsewhere), then one argument column per frame in predicate
 * order with the predicate itself as `(V*)`; a blank line after each sentence. A sentence
 * without frames gets only the target column.
 */
export const srlPredictionFormats: readonly PredictionFormat[] = [
  {
    name: 'props',
    extension: 'props',
    description: 'CoNLL-2005 props columns: target column, then one argument column per predicate',
    write: (sentences) =>
      sentences
        .map((sentence) => {
          const frames = [...(sentence.annotations.srl ?? [])].sort(
            (a, b) => a.predicate - b.predicate,
          );
          const targets = sentence.words.map(() => '-');
          for (const frame of frames)
            targets[frame.predicate] = frame.lemma ?? (sentence.words[frame.predicate] as string);
          const columns = framesToColumns(frames, sentence.words.length);
          return (
            targets
              .map((target, i) => [target, ...columns.map((column) => column[i])].join('\t'))
              .join('\n') + '\n'
          );
        })
        .join('\n'),
  },
];
