import type { Sentence } from '@stem/core';

/** Gold labels and loss weights of every cell of a padded [batch, words, words] span table. */
export interface SpanTargets {
  /** Label index per cell [b][start][end] (end inclusive); 0 = null. */
  gold: Int32Array;
  /** 1 for the spans the loss counts, 0 for padding, end < start, too wide, unknown type. */
  weight: Float32Array;
}

/**
 * The loss covers every span i <= j inside a sentence (and at most `maxWidth` wide): gold
 * entities carry their type, all other spans the null label. A gold entity of a type the head
 * does not know (a type absent from the training split) is left out rather than taught as null.
 */
export function spanTargets(
  sentences: readonly Sentence[],
  words: number,
  typeIndex: ReadonlyMap<string, number>,
  maxWidth = Number.POSITIVE_INFINITY,
): SpanTargets {
  const cells = words * words;
  const gold = new Int32Array(sentences.length * cells);
  const weight = new Float32Array(sentences.length * cells);
  sentences.forEach((sentence, b) => {
    const length = Math.min(sentence.words.length, words);
    for (let start = 0; start < length; start++) {
      const lastEnd = Math.min(length, start + maxWidth) - 1;
      for (let end = start; end <= lastEnd; end++) weight[b * cells + start * words + end] = 1;
    }
    for (const span of sentence.annotations.ner ?? []) {
      if (span.start < 0 || span.end > length || span.end <= span.start) {
        throw new RangeError(
          `sentence ${sentence.id}: entity ${span.label} [${span.start}, ${span.end}) lies outside its ${sentence.words.length} words`,
        );
      }
      if (span.end - span.start > maxWidth) continue;
      const cell = b * cells + span.start * words + (span.end - 1);
      const index = typeIndex.get(span.label);
      if (index === undefined) weight[cell] = 0;
      else gold[cell] = index;
    }
  });
  return { gold, weight };
}
