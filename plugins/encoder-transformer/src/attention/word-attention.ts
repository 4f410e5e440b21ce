/**
 * Sub-word attention pooled to words, as the attention probes read it: a word's row is the
 * average of its sub-words' rows (queries) and a word's column the sum of its sub-words'
 * columns (keys). Position 0 of the result is ROOT ([CLS]); the final [SEP] is left out, so
 * rows sum to at most 1.
 */
export function poolAttentionToWords(
  probs: ArrayLike<number>,
  length: number,
  spans: ReadonlyArray<readonly [number, number]>,
): number[][] {
  const units: Array<readonly [number, number]> = [[0, 0], ...spans];
  return units.map(([qFirst, qLast]) =>
    units.map(([kFirst, kLast]) => {
      let total = 0;
      for (let q = qFirst; q <= qLast; q++)
        for (let k = kFirst; k <= kLast; k++) total += probs[q * length + k] as number;
      return total / (qLast - qFirst + 1);
    }),
  );
}
