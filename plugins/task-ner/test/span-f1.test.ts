import type { LabeledSpan, Sentence } from '@stem/core';
import { describe, expect, it } from 'vitest';
import { SpanF1 } from '../src/span-f1.js';

const sentence = (id: string, length: number, ner: LabeledSpan[]): Sentence => ({
  id,
  words: Array.from({ length }, (_, i) => `w${i}`),
  annotations: { ner },
});

describe('SpanF1', () => {
  it('scores exact spans, micro and per type (hand-computed)', () => {
    const metric = new SpanF1();
    const gold = [
      sentence('a', 6, [
        { start: 0, end: 2, label: 'PER' },
        { start: 3, end: 4, label: 'LOC' },
      ]),
      sentence('b', 5, [
        { start: 1, end: 3, label: 'ORG' },
        { start: 4, end: 5, label: 'PER' },
      ]),
    ];
    metric.update(gold, [
      [
        { start: 0, end: 2, label: 'PER' }, // correct
        { start: 3, end: 5, label: 'LOC' }, // wrong end
      ],
      [
        { start: 1, end: 3, label: 'PER' }, // right span, wrong type
        { start: 4, end: 5, label: 'PER' }, // correct
        { start: 0, end: 1, label: 'LOC' }, // spurious
      ],
    ]);
    // gold 4, predicted 5, correct 2: P = 2/5, R = 2/4, F1 = 2PR/(P+R) = 0.4/0.9 = 4/9.
    // PER: gold 2, predicted 3, correct 2 -> P 2/3, R 1, F1 0.8.
    // LOC: gold 1, predicted 2, correct 0 -> 0, 0, 0. ORG: gold 1, predicted 0 -> 0, 0, 0.
    const { primary, scores } = metric.result();
    expect(primary).toBe('f1');
    expect(scores.precision).toBeCloseTo(0.4, 12);
    expect(scores.recall).toBeCloseTo(0.5, 12);
    expect(scores.f1).toBeCloseTo(4 / 9, 12);
    expect(scores).toMatchObject({ gold: 4, predicted: 5, correct: 2 });
    expect(scores['PER.precision']).toBeCloseTo(2 / 3, 12);
    expect(scores['PER.recall']).toBe(1);
    expect(scores['PER.f1']).toBeCloseTo(0.8, 12);
    expect(scores['LOC.f1']).toBe(0);
    expect(scores['ORG.precision']).toBe(0);
    expect(scores['ORG.recall']).toBe(0);
  });

  it('accumulates over updates until reset', () => {
    const metric = new SpanF1();
    const gold = [sentence('a', 3, [{ start: 0, end: 1, label: 'X' }])];
    metric.update(gold, [[{ start: 0, end: 1, label: 'X' }]]);
    metric.update(gold, [[]]);
    // gold 2, predicted 1, correct 1: P 1, R 1/2, F1 2/3.
    expect(metric.result().scores.f1).toBeCloseTo(2 / 3, 12);
    metric.reset();
    metric.update(gold, [[{ start: 1, end: 2, label: 'X' }]]);
    expect(metric.result().scores).toMatchObject({ precision: 0, recall: 0, f1: 0 });
  });

  it('counts nothing-to-find-and-nothing-found as perfect, and predicting nothing as zero', () => {
    const empty = new SpanF1();
    empty.update([sentence('a', 2, [])], [[]]);
    expect(empty.result().scores).toMatchObject({ precision: 1, recall: 1, f1: 1 });
    const missed = new SpanF1();
    missed.update([sentence('a', 2, [{ start: 0, end: 2, label: 'X' }])], [[]]);
    expect(missed.result().scores).toMatchObject({ precision: 0, recall: 0, f1: 0 });
  });

  it('names the sentence of a malformed prediction', () => {
    const metric = new SpanF1();
    expect(() =>
      metric.update([sentence('s7', 2, [])], [[{ start: 1, end: 3, label: 'X' }]]),
    ).toThrow(/sentence s7: predicted span X \[1, 3\) lies outside its 2 words/);
    expect(() => metric.update([sentence('s7', 2, [])], [])).toThrow(
      /0 predictions for 1 sentences/,
    );
  });
});
