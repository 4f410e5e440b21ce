import type { AnnotationLayer, Sentence } from '@stem/core';
import { describe, expect, it } from 'vitest';
import { corpusStats } from '../src/corpora/corpus-stats.js';

/** Sentences of an imaginary plugin corpus: core's POS plus two layers core does not know. */
const SENTENCES: Sentence[] = [
  {
    id: 'a',
    words: ['He', 'ran', 'home'],
    annotations: {
      pos: ['PRP', 'VBD', 'NN'],
      // A plain-JavaScript plugin: keys that core's types do not list.
      ...({
        chunks: [
          { start: 0, end: 1, label: 'NP' },
          { start: 1, end: 2, label: 'VP' },
          { start: 2, end: 3, label: 'NP' },
        ],
        sentiment: { polarity: 0.5 },
      } as object),
    },
  },
  {
    id: 'b',
    words: ['Yes'],
    annotations: {
      ...({ chunks: [{ start: 0, end: 1, label: 'INTJ' }], cased: ['upper'] } as object),
    },
  },
];

describe('corpus stats of plugin layers', () => {
  it('counts labels of layers core does not know: span labels and tag lists', async () => {
    const stats = await corpusStats({
      location: 'inline',
      layers: ['pos', 'chunks'] as readonly string[] as readonly AnnotationLayer[],
      read: async (split) => (split === 'train' ? SENTENCES : []),
    });
    expect(stats.layers).toEqual(['pos', 'chunks']);
    expect(stats.labels).toEqual({
      pos: { NN: 1, PRP: 1, VBD: 1 },
      chunks: { NP: 2, INTJ: 1, VP: 1 },
      cased: { upper: 1 },
    });
    expect(stats.splits.train).toEqual({ sentences: 2, tokens: 4 });
  });
});
