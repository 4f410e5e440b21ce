import type { Sentence, SrlFrame } from '@stem/core';
import { describe, expect, it } from 'vitest';
import { conll05ArgumentKeys } from '../src/conll05-arguments.js';
import { SrlMetric } from '../src/srl-metric.js';

const sentence = (id: string, words: number, srl: SrlFrame[] | undefined): Sentence => ({
  id,
  words: Array.from({ length: words }, (_, i) => `w${i}`),
  annotations: srl ? { srl } : {},
});

describe('SrlMetric', () => {
  it('scores (predicate, start, end, role) tuples and predicates, hand-computed, C- and R- roles included', () => {
    // "The man who saw it , he said , left ." -- two sentences, 3 gold frames, 9 gold arguments.
    const gold = [
      sentence('a', 11, [
        {
          predicate: 3, // saw
          arguments: [
            { start: 0, end: 2, role: 'ARG0' },
            { start: 2, end: 3, role: 'R-ARG0' },
            { start: 4, end: 5, role: 'ARG1' },
          ],
        },
        {
          predicate: 9, // left
          arguments: [
            { start: 0, end: 5, role: 'ARG1' },
            { start: 5, end: 9, role: 'ARGM-ADV' },
          ],
        },
        { predicate: 7, arguments: [] }, // said, no argument: still a gold predicate
      ]),
      sentence('b', 8, [
        {
          predicate: 1,
          arguments: [
            { start: 0, end: 1, role: 'ARG0' },
            { start: 2, end: 4, role: 'ARG1' },
            { start: 5, end: 8, role: 'C-ARG1' },
            { start: 4, end: 5, role: 'ARGM-DIS' },
          ],
        },
      ]),
    ];
    const predicted: SrlFrame[][] = [
      [
        {
          predicate: 3,
          arguments: [
            { start: 0, end: 2, role: 'ARG0' }, // correct
            { start: 2, end: 3, role: 'ARG0' }, // wrong: gold is R-ARG0
            { start: 4, end: 5, role: 'ARG1' }, // correct
          ],
        },
        {
          predicate: 8, // wrong predicate: both arguments wrong
          arguments: [
            { start: 0, end: 5, role: 'ARG1' },
            { start: 5, end: 8, role: 'ARGM-ADV' },
          ],
        },
      ],
      [
        {
          predicate: 1,
          arguments: [
            { start: 0, end: 1, role: 'ARG0' }, // correct
            { start: 2, end: 4, role: 'ARG1' }, // correct
            { start: 5, end: 8, role: 'ARG1' }, // wrong: gold is C-ARG1
          ],
        },
      ],
    ];
    const metric = new SrlMetric();
    metric.update(gold, predicted);
    // arguments: gold 9, predicted 8, correct 4; predicates: gold {3, 9, 7} + {1} = 4, predicted {3, 8} + {1} = 3, correct 2.
    const p = 4 / 8;
    const r = 4 / 9;
    const pp = 2 / 3;
    const pr = 2 / 4;
    const scores = metric.result().scores;
    expect(metric.result().primary).toBe('f1');
    expect(scores.precision).toBeCloseTo(p, 12);
    expect(scores.recall).toBeCloseTo(r, 12);
    expect(scores.f1).toBeCloseTo((2 * p * r) / (p + r), 12);
    expect(scores['predicate-precision']).toBeCloseTo(pp, 12);
    expect(scores['predicate-recall']).toBeCloseTo(pr, 12);
    expect(scores['predicate-f1']).toBeCloseTo((2 * pp * pr) / (pp + pr), 12);
    expect(scores.arguments).toBe(9);
    expect(scores.predicates).toBe(4);
    // srl-eval.pl's conventions: gold C-ARG1 [5,8) joins ARG1 [2,4) into one argument, so the
    // gold has 3 + 2 + 0 + 3 = 8; the frame at 8 (no gold predicate) is skipped; the frame at
    // 3 keeps 2 of 3, the frame at 1 only ARG0 (its ARG1 pieces do not form the joined one).
    const cp = 3 / 6;
    const cr = 3 / 8;
    expect(scores['conll05-arguments']).toBe(8);
    expect(scores['conll05-precision']).toBeCloseTo(cp, 12);
    expect(scores['conll05-recall']).toBeCloseTo(cr, 12);
    expect(scores['conll05-f1']).toBeCloseTo((2 * cp * cr) / (cp + cr), 12);
  });

  it('joins C- arguments as srl-eval.pl does: to the closest role before, else as the role itself', () => {
    const frame: SrlFrame = {
      predicate: 9,
      arguments: [
        { start: 6, end: 7, role: 'C-ARG1' },
        { start: 0, end: 1, role: 'C-ARG0' }, // no ARG0 before: counts as ARG0
        { start: 1, end: 2, role: 'ARG1' },
        { start: 3, end: 4, role: 'ARG1' }, // a second ARG1: the C-ARG1 joins this one
        { start: 4, end: 5, role: 'R-ARG1' },
        { start: 5, end: 6, role: 'C-V' },
      ],
    };
    expect(conll05ArgumentKeys(frame)).toEqual([
      'ARG0 0-1',
      'ARG1 1-2',
      'ARG1 3-4,6-7',
      'R-ARG1 4-5',
    ]);
  });

  it('accumulates over updates (micro average), skips sentences without the layer, and resets', () => {
    const metric = new SrlMetric();
    const frame = (role: string): SrlFrame => ({
      predicate: 0,
      arguments: [{ start: 1, end: 2, role }],
    });
    metric.update([sentence('a', 3, [frame('ARG0')])], [[frame('ARG0')]]);
    metric.update(
      [sentence('b', 3, [frame('ARG1')]), sentence('c', 3, undefined)],
      [[], [frame('ARG1')]],
    );
    const scores = metric.result().scores;
    expect(scores.precision).toBe(1);
    expect(scores.recall).toBe(0.5);
    expect(scores.f1).toBeCloseTo(2 / 3, 12);
    metric.reset();
    expect(metric.result().scores.f1).toBe(0);
    expect(() => metric.update([sentence('a', 3, [])], [])).toThrow(
      /0 predictions for 1 sentences/,
    );
  });
});
