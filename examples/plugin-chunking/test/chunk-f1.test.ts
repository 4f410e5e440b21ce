import type { Sentence } from '@stem/core';
import { describe, expect, it } from 'vitest';
import '../src/chunks-layer.js';
import { ChunkF1 } from '../src/chunk-f1.js';
import { tagsToChunks } from '../src/chunk-tags.js';

const sentence = (id: string, tags: string[]): Sentence => ({
  id,
  words: tags.map((_, i) => `w${i}`),
  annotations: { chunks: tagsToChunks(tags) },
});

describe('chunk F1', () => {
  it('matches hand-computed precision, recall and F1 over two sentences', () => {
    // Gold: [NP 0-2) [VP 2-3) [NP 3-5) | [PP 0-1) [NP 1-3)  -> 5 chunks.
    const gold = [
      sentence('a', ['B-NP', 'I-NP', 'B-VP', 'B-NP', 'I-NP']),
      sentence('b', ['B-PP', 'B-NP', 'I-NP']),
    ];
    // Predicted: [NP 0-2) ok, [VP 2-3) ok, [NP 3-4) wrong end, [ADJP 4-5) spurious
    //            [PP 0-1) ok, [NP 1-2) wrong end, [NP 2-3) spurious  -> 7 chunks, 3 correct.
    const predicted = [
      tagsToChunks(['B-NP', 'I-NP', 'B-VP', 'B-NP', 'B-ADJP']),
      tagsToChunks(['B-PP', 'B-NP', 'B-NP']),
    ];
    const metric = new ChunkF1();
    metric.update(gold, predicted);
    const { primary, scores } = metric.result();
    expect(primary).toBe('f1');
    // P = 3/7, R = 3/5, F1 = 2PR/(P+R) = 2*(9/35)/(36/35) = 1/2.
    expect(scores.precision).toBeCloseTo(3 / 7, 12);
    expect(scores.recall).toBeCloseTo(3 / 5, 12);
    expect(scores.f1).toBeCloseTo(0.5, 12);
    // NP: gold 3, predicted 4, correct 1 -> P 1/4, R 1/3, F1 2/7.
    expect(scores['NP.f1']).toBeCloseTo(2 / 7, 12);
    expect(scores['VP.f1']).toBe(1);
    expect(scores['PP.f1']).toBe(1);
    expect(scores['ADJP.f1']).toBe(0);
  });

  it('accumulates over updates and starts over on reset', () => {
    const metric = new ChunkF1();
    const gold = [sentence('a', ['B-NP', 'O'])];
    metric.update(gold, [tagsToChunks(['B-NP', 'O'])]);
    metric.update(gold, [tagsToChunks(['O', 'O'])]);
    // 1 correct of 1 predicted, 2 gold: P 1, R 1/2, F1 2/3.
    expect(metric.result().scores).toMatchObject({ precision: 1, recall: 0.5 });
    expect(metric.result().scores.f1).toBeCloseTo(2 / 3, 12);
    metric.reset();
    metric.update(gold, [tagsToChunks(['B-VP', 'O'])]);
    expect(metric.result().scores).toMatchObject({ precision: 0, recall: 0, f1: 0 });
  });

  it('scores 1 with nothing to find and nothing predicted, and refuses a count mismatch', () => {
    const metric = new ChunkF1();
    metric.update([sentence('a', ['O'])], [[]]);
    expect(metric.result().scores).toMatchObject({ precision: 1, recall: 1, f1: 1 });
    expect(() => metric.update([sentence('a', ['O'])], [])).toThrow(
      '0 predictions for 1 sentences',
    );
  });
});
