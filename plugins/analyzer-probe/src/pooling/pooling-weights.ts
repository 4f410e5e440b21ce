import type { TokenizedBatch } from '@stem/core';

/**
 * Sub-word -> word pooling as dense weight matrices, built once per batch from
 * `TokenizedBatch.wordSpans`. Units are ROOT ([CLS], sub-word 0) followed by the words, so
 * unit u = word u - 1. Rows of padding units stay zero.
 */
export interface PoolingWeights {
  /** [batch][units][subwords]: 1/n over a query word's n sub-words (mean). */
  query: Float32Array;
  /** [batch][units][subwords]: 1 on a key word's sub-words (sum). */
  key: Float32Array;
  batch: number;
  units: number;
  subwords: number;
}

export function poolingWeights(tokens: TokenizedBatch, subwords: number): PoolingWeights {
  const batch = tokens.wordSpans.length;
  const units = 1 + Math.max(0, ...tokens.wordCounts);
  const query = new Float32Array(batch * units * subwords);
  const key = new Float32Array(batch * units * subwords);
  tokens.wordSpans.forEach((spans, b) => {
    const unitSpans: Array<readonly [number, number]> = [[0, 0], ...spans];
    unitSpans.forEach(([first, last], u) => {
      const row = (b * units + u) * subwords;
      const share = 1 / (last - first + 1);
      for (let s = first; s <= last; s++) {
        query[row + s] = share;
        key[row + s] = 1;
      }
    });
  });
  return { query, key, batch, units, subwords };
}
