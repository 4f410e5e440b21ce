import type { Sentence } from '@stem/core';
import { framesToColumns } from '@stem/data';

/**
 * SRL predictions as CoNLL-2005 "props" columns, the input format of srl-eval.pl: one line
 * per word, first the target column (the predicate's lemma, else its word form, at each
 * predicate; `-` elsewhere), then one argument column per frame in predicate order, with the
 * predicate itself as `(V*)`; a blank line after each sentence. Sentences without frames get
 * only the target column.
 */
export function formatSrlProps(sentences: readonly Sentence[]): string {
  return sentences
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
    .join('\n');
}
