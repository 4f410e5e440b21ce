import { SeededRandom } from '@stem/core';
import { describe, expect, it } from 'vitest';
import { bestNonOverlapping, type ScoredSpan } from '../src/non-overlapping-arguments.js';

function overlaps(a: ScoredSpan, b: ScoredSpan): boolean {
  return a.start < b.end && b.start < a.end;
}

/** The best total over every subset of pairwise non-overlapping spans. */
function bruteForceBest(spans: readonly ScoredSpan[]): number {
  let best = 0;
  for (let mask = 0; mask < 1 << spans.length; mask++) {
    const chosen = spans.filter((_, i) => mask & (1 << i));
    const disjoint = chosen.every((a, i) => chosen.slice(i + 1).every((b) => !overlaps(a, b)));
    if (disjoint)
      best = Math.max(
        best,
        chosen.reduce((sum, s) => sum + s.score, 0),
      );
  }
  return best;
}

function randomSpans(random: SeededRandom, words: number, count: number): ScoredSpan[] {
  return Array.from({ length: count }, () => {
    const start = random.int(words);
    const end = start + 1 + random.int(Math.min(4, words - start));
    // Mostly positive (as in decoding, where only roles beating null are candidates).
    return { start, end, score: Math.round(random.uniform(-1, 5) * 100) / 100 };
  });
}

describe('bestNonOverlapping', () => {
  it('returns the best non-overlapping set found by enumerating all subsets (300 random cases)', () => {
    const random = new SeededRandom(11);
    for (let trial = 0; trial < 300; trial++) {
      const words = 1 + random.int(8);
      const spans = randomSpans(random, words, random.int(12));
      const chosen = bestNonOverlapping(spans);
      chosen.forEach((a, i) =>
        chosen
          .slice(i + 1)
          .forEach((b) => expect(overlaps(a, b), JSON.stringify(chosen)).toBe(false)),
      );
      chosen.forEach((c) => expect(spans).toContain(c));
      const total = chosen.reduce((sum, s) => sum + s.score, 0);
      expect(total).toBeCloseTo(bruteForceBest(spans), 9);
    }
  });

  it('prefers two adjacent spans over one long span when their sum is larger, and back in position order', () => {
    const long = { start: 0, end: 4, score: 5 };
    const left = { start: 0, end: 2, score: 3 };
    const right = { start: 2, end: 4, score: 2.5 };
    expect(bestNonOverlapping([long, right, left])).toEqual([left, right]);
    expect(bestNonOverlapping([{ ...long, score: 6 }, right, left])).toEqual([
      { ...long, score: 6 },
    ]);
  });

  it('ignores spans that cannot add to the total and returns nothing for no candidates', () => {
    expect(bestNonOverlapping([])).toEqual([]);
    expect(
      bestNonOverlapping([
        { start: 1, end: 2, score: 0 },
        { start: 3, end: 5, score: -1 },
      ]),
    ).toEqual([]);
  });
});
