import * as tf from '@tensorflow/tfjs';
import type { Sentence, TokenizedBatch } from '@stem/core';
import { beforeAll, describe, expect, it } from 'vitest';
import { poolItemContexts } from '../src/pooling/item-contexts.js';
import { runCentroidProbe } from '../src/probes/centroid-probe.js';
import { centroidItems } from '../src/probes/probe-items.js';
import { lowestPhrases, phraseLabel } from '../src/probes/lowest-phrases.js';
import { ScriptedEncoder, type ScriptedSentence } from './support/scripted-encoder.js';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

function tagged(id: string, words: string[], pos: string[]): Sentence {
  return { id, words, annotations: { pos } };
}

const TEST = [
  tagged('a', ['dogs', 'run'], ['N', 'V']),
  tagged('b', ['cats', 'eat'], ['N', 'V']),
  // "chases" has six letters: two sub-words.
  tagged('c', ['dogs', 'chases', 'cats'], ['N', 'V', 'N']),
];

/**
 * Head 0: one-hot of the word's class (N -> (1,0), V -> (0,1)). Head 1: N words (10, 0),
 * "run"/"eat" (1, 1), and "chases" (6, 0) then (0, 4), whose sub-word mean (3, 2) is nearer
 * the N centroid by dot product (30 vs 23/3) but nearer the V centroid (5, 4)/3 by cosine
 * (0.996 vs 0.832), and nearer N by its first piece alone. Head 2: the same vector for every
 * word, so every centroid ties and the label fitted first (N, from sentence a) wins.
 */
function contexts(s: ScriptedSentence): number[][][][] {
  const perHead = (h: number): number[][] => {
    const rows: number[][] = Array.from({ length: s.length }, () => [0, 0]);
    s.words.forEach((word, w) => {
      const [first, last] = s.spans[w]!;
      const noun = word === 'dogs' || word === 'cats';
      for (let k = first; k <= last; k++) {
        if (h === 0) rows[k] = noun ? [1, 0] : [0, 1];
        else if (h === 2) rows[k] = [1, 1];
        else if (noun) rows[k] = [10, 0];
        else if (word === 'chases') rows[k] = k === first ? [6, 0] : [0, 4];
        else rows[k] = [1, 1];
      }
    });
    return rows;
  };
  return [[perHead(0), perHead(1), perHead(2)]];
}

describe('centroid probe', () => {
  it('predicts the label of the nearest centroid by cosine, per head', async () => {
    const encoder = new ScriptedEncoder(tf, { layers: 1, heads: 3, headSize: 2, contexts });
    const before = tf.memory().numTensors;
    const result = await runCentroidProbe(tf, encoder, {
      task: 'pos',
      split: 'test',
      sentences: TEST,
      limits: { maxSentences: 2, maxSubwords: 100 },
    });
    expect(tf.memory().numTensors).toBe(before);
    expect(result.fit).toBe('test');
    expect(result.items).toBe(7);
    const byLabel = Object.fromEntries(result.labels.map((l) => [l.label, l.accuracy[0]]));
    expect(byLabel).toEqual({ N: [1, 1, 1], V: [1, 1, 0] });
    expect(result.weightedAccuracy).toEqual([[1, 1, 4 / 7]]);
    expect(result.labels.map((l) => [l.label, l.count])).toEqual([
      ['N', 4],
      ['V', 3],
    ]);
  });

  it('fits centroids on another split when asked (--fit train)', async () => {
    const encoder = new ScriptedEncoder(tf, { layers: 1, heads: 3, headSize: 2, contexts });
    // Training data with the tags swapped: centroids swap, so head 0 is always wrong on test.
    const swapped = TEST.map((s) =>
      tagged(
        s.id,
        s.words,
        s.annotations.pos!.map((t) => (t === 'N' ? 'V' : 'N')),
      ),
    );
    const result = await runCentroidProbe(tf, encoder, {
      task: 'pos',
      split: 'test',
      sentences: TEST,
      fit: { split: 'train', sentences: swapped },
      limits: { maxSentences: 8, maxSubwords: 100 },
    });
    expect(result.fit).toBe('train');
    // Swapped centroids: heads 0 and 1 are always wrong; head 2 always says the first fitted
    // label (V, the swapped tag of "dogs"), right on the 3 V words.
    expect(result.weightedAccuracy).toEqual([[0, 0, 3 / 7]]);
  });

  it('pools a span as the mean of its words, each the mean of its sub-words', () => {
    const tokens: TokenizedBatch = {
      subwordIds: [[1, 5, 6, 7, 2]],
      wordSpans: [
        [
          [1, 2],
          [3, 3],
        ],
      ],
      wordCounts: [2],
    };
    // One head, size 2: sub-words 1, 2 (word 0) and 3 (word 1).
    const contexts = tf.tensor4d(
      [
        [9, 9],
        [2, 0],
        [4, 2],
        [1, 7],
        [9, 9],
      ].flat(),
      [1, 1, 5, 2],
    );
    const pooled = poolItemContexts(tf, contexts, tokens, [
      { sentence: 0, words: [0, 1] },
      { sentence: 0, words: [0] },
    ]);
    // Word 0 = (3, 1), word 1 = (1, 7): span = (2, 4).
    expect(pooled.arraySync()).toEqual([[[2, 4]], [[3, 1]]]);
    tf.dispose([contexts, pooled]);
  });

  it('takes NER spans and CON lowest phrases (function tags stripped) as items', () => {
    const tree = {
      label: 'S',
      children: [
        {
          label: 'NP-SBJ',
          children: [
            { label: 'DT', word: 'The', children: [] },
            { label: 'NN', word: 'cat', children: [] },
          ],
        },
        {
          label: 'VP',
          children: [
            { label: 'VBD', word: 'sat', children: [] },
            {
              label: 'PP-LOC',
              children: [
                { label: 'IN', word: 'on', children: [] },
                { label: 'NP', children: [{ label: 'PRP', word: 'it', children: [] }] },
              ],
            },
          ],
        },
      ],
    };
    // VP and PP have a phrase child, so only NP-SBJ [0, 2) and NP [4, 5) are lowest phrases.
    expect(lowestPhrases(tree)).toEqual({
      words: 5,
      spans: [
        { start: 0, end: 2, label: 'NP' },
        { start: 4, end: 5, label: 'NP' },
      ],
    });
    expect(phraseLabel('S=2')).toBe('S');
    expect(phraseLabel('-NONE-')).toBe('-NONE-');
    const sentence: Sentence = {
      id: 'x',
      words: ['The', 'cat', 'sat', 'on', 'it'],
      annotations: { con: tree, ner: [{ start: 0, end: 2, label: 'ANIMAL' }] },
    };
    expect(centroidItems('con', sentence)).toEqual([
      { label: 'NP', words: [0, 1] },
      { label: 'NP', words: [4] },
    ]);
    expect(centroidItems('ner', sentence)).toEqual([{ label: 'ANIMAL', words: [0, 1] }]);
    expect(centroidItems('pos', sentence)).toBe('missing-layer');
    expect(centroidItems('con', { ...sentence, words: ['The', 'cat'] })).toBe('misaligned');
  });
});
