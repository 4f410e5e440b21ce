import { describe, expect, it } from 'vitest';
import { SeededRandom } from '@stem/core';
import { decodeValidTags, transitionAllowed } from '../src/bio-viterbi.js';

const TAGS = ['O', 'B-NP', 'I-NP', 'B-VP', 'I-VP'];

function valid(sequence: readonly number[]): boolean {
  return sequence.every((t, i) =>
    transitionAllowed(i === 0 ? undefined : TAGS[sequence[i - 1]!], TAGS[t]!),
  );
}

/** Every sequence of `length` tags, scored; the best valid one (first in enumeration order on ties). */
function bruteForce(scores: number[][]): number[] {
  let best: { sequence: number[]; score: number } | undefined;
  const total = TAGS.length ** scores.length;
  for (let code = 0; code < total; code++) {
    const sequence = scores.map(
      (_, i) => Math.floor(code / TAGS.length ** (scores.length - 1 - i)) % TAGS.length,
    );
    if (!valid(sequence)) continue;
    const score = sequence.reduce((sum, t, i) => sum + scores[i]![t]!, 0);
    if (!best || score > best.score) best = { sequence, score };
  }
  return best!.sequence;
}

describe('BIO-constrained Viterbi', () => {
  it('allows I-X only after B-X or I-X', () => {
    expect(transitionAllowed(undefined, 'I-NP')).toBe(false);
    expect(transitionAllowed('O', 'I-NP')).toBe(false);
    expect(transitionAllowed('B-VP', 'I-NP')).toBe(false);
    expect(transitionAllowed('B-NP', 'I-NP')).toBe(true);
    expect(transitionAllowed('I-NP', 'I-NP')).toBe(true);
    expect(transitionAllowed('I-NP', 'B-VP')).toBe(true);
    expect(transitionAllowed(undefined, 'O')).toBe(true);
  });

  it('finds the best valid sequence, as brute force does, on random scores of 1 to 5 words', () => {
    const random = new SeededRandom(11);
    for (let trial = 0; trial < 200; trial++) {
      const length = 1 + (trial % 5);
      const scores = Array.from({ length }, () =>
        TAGS.map(() => Math.log(random.uniform(0.01, 1))),
      );
      const decoded = decodeValidTags(scores, TAGS);
      expect(valid(decoded)).toBe(true);
      const score = (s: number[]) => s.reduce((sum, t, i) => sum + scores[i]![t]!, 0);
      expect(score(decoded)).toBeCloseTo(score(bruteForce(scores)), 10);
    }
  });

  it('repairs the argmax where it is invalid: a likely I-NP at the start becomes B-NP', () => {
    const p = (values: number[]) => values.map(Math.log);
    // Word 0 argmax I-NP (invalid at the start), word 1 argmax I-NP.
    const scores = [p([0.05, 0.3, 0.55, 0.05, 0.05]), p([0.1, 0.1, 0.6, 0.1, 0.1])];
    expect(decodeValidTags(scores, TAGS).map((t) => TAGS[t])).toEqual(['B-NP', 'I-NP']);
    expect(decodeValidTags([], TAGS)).toEqual([]);
  });
});
