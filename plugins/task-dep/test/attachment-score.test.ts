import type { Sentence } from '@stem/core';
import { describe, expect, it } from 'vitest';
import { AttachmentScore, isPunctuation } from '../src/attachment-score.js';

describe('isPunctuation', () => {
  it('is true when every character is Unicode punctuation (P*), false for symbols and words', () => {
    for (const word of [',', '.', '...', '--', '«', '»', '¿', '“', '-', '、'])
      expect(isPunctuation(word), word).toBe(true);
    // $ + ` ^ are symbols (S*), not punctuation; -LRB- and 's contain letters.
    for (const word of ['$', '+', '`', '^', '-LRB-', "'s", 'a.', '1', ''])
      expect(isPunctuation(word), word).toBe(false);
  });
});

describe('AttachmentScore', () => {
  // Gold: "She saw it , $ 5 ." and "Go !"
  const gold: Sentence[] = [
    {
      id: 'a',
      words: ['She', 'saw', 'it', ',', '$', '5', '.'],
      annotations: {
        dep: {
          heads: [2, 0, 2, 2, 2, 5, 2],
          relations: ['nsubj', 'root', 'obj', 'punct', 'obl', 'nummod', 'punct'],
        },
      },
    },
    {
      id: 'b',
      words: ['Go', '!'],
      annotations: { dep: { heads: [0, 1], relations: ['root', 'punct'] } },
    },
    // No gold tree: not scored.
    { id: 'c', words: ['x'], annotations: {} },
  ];
  const predicted = [
    {
      // she: right; saw: right; it: head right, label wrong (iobj); ',': head wrong;
      // $: head wrong (3), label right; 5: right; '.': right.
      heads: [2, 0, 2, 3, 3, 5, 2],
      relations: ['nsubj', 'root', 'iobj', 'punct', 'obl', 'nummod', 'punct'],
    },
    // Go: right; '!': head right, label wrong.
    { heads: [0, 1], relations: ['root', 'dep'] },
    { heads: [0], relations: ['root'] },
  ];

  it('scores punctuation-excluded and all-token UAS/LAS and per-relation F1 (hand-computed)', () => {
    const metric = new AttachmentScore();
    metric.update(gold, predicted);
    const { primary, scores } = metric.result();
    expect(primary).toBe('las');
    // Without punctuation: She saw it $ 5 Go = 6 words; heads right: She saw it 5 Go = 5;
    // labels right as well: She saw 5 Go = 4.
    expect(scores.words).toBe(6);
    expect(scores.uas).toBeCloseTo(5 / 6, 12);
    expect(scores.las).toBeCloseTo(4 / 6, 12);
    // All 9 words: heads right = 5 + '.' + '!' = 7; labelled = 4 + '.' = 5.
    expect(scores.wordsAll).toBe(9);
    expect(scores.uasAll).toBeCloseTo(7 / 9, 12);
    expect(scores.lasAll).toBeCloseTo(5 / 9, 12);
    // root: gold 2, predicted 2, correct 2 -> 1. obj: gold 1, predicted 0 -> 0.
    // iobj: predicted 1, correct 0 -> 0. obl: gold 1 predicted 1, head wrong -> 0.
    // nsubj and nummod: 1. punct is never counted (all punctuation is excluded).
    expect(
      Object.fromEntries(Object.entries(scores).filter(([k]) => k.startsWith('relation/'))),
    ).toEqual({
      'relation/iobj': 0,
      'relation/nsubj': 1,
      'relation/nummod': 1,
      'relation/obj': 0,
      'relation/obl': 0,
      'relation/root': 1,
    });
  });

  it('computes F1 from precision and recall when they differ, and resets', () => {
    const metric = new AttachmentScore();
    const sentence: Sentence = {
      id: 'x',
      words: ['a', 'b', 'c', 'd'],
      annotations: { dep: { heads: [0, 1, 1, 1], relations: ['root', 'dep', 'dep', 'obj'] } },
    };
    // dep: gold 2, predicted 3 (b, c, d), correct 2 -> P 2/3, R 1 -> F1 0.8.
    metric.update([sentence], [{ heads: [0, 1, 1, 1], relations: ['root', 'dep', 'dep', 'dep'] }]);
    expect(metric.result().scores['relation/dep']).toBeCloseTo(0.8, 12);
    expect(metric.result().scores.las).toBeCloseTo(3 / 4, 12);
    metric.reset();
    expect(metric.result().scores).toEqual({
      las: 0,
      uas: 0,
      lasAll: 0,
      uasAll: 0,
      lasConll18: 0,
      words: 0,
      wordsAll: 0,
    });
  });

  it('scores the CoNLL 2018 LAS on every word, comparing only the universal relation', () => {
    const metric = new AttachmentScore();
    const sentence: Sentence = {
      id: 'p',
      words: ['it', 'was', 'seen', '.'],
      annotations: {
        dep: { heads: [3, 3, 0, 3], relations: ['nsubj:pass', 'aux:pass', 'root', 'punct'] },
      },
    };
    // it: subtype dropped (nsubj vs nsubj:pass) -> universal right, full label wrong;
    // was: aux:tense vs aux:pass -> universal right; seen: right; '.': head wrong.
    metric.update(
      [sentence],
      [{ heads: [3, 3, 0, 2], relations: ['nsubj', 'aux:tense', 'root', 'punct'] }],
    );
    const { scores } = metric.result();
    expect(scores.lasAll).toBeCloseTo(1 / 4, 12);
    expect(scores.lasConll18).toBeCloseTo(3 / 4, 12);
    expect(scores.uasAll).toBeCloseTo(3 / 4, 12);
  });

  it('names the sentence when a prediction has the wrong length', () => {
    const metric = new AttachmentScore();
    expect(() => metric.update(gold.slice(1, 2), [{ heads: [0], relations: ['root'] }])).toThrow(
      /sentence b: 1 predicted heads for 2 words/,
    );
  });
});
