import { SeededRandom } from '@stem/core';
import { describe, expect, it } from 'vitest';
import { candidateSpans, decodeFlatSpans, type ScoredSpan } from '../src/flat-decoding.js';

/** A random probability table [start][end][label] with the null label winning about half the cells. */
function randomTable(random: SeededRandom, length: number, labelCount: number): Float32Array {
  const values = new Float32Array(length * length * labelCount);
  for (let cell = 0; cell < length * length; cell++) {
    const raw = Array.from({ length: labelCount }, (_, c) => random.next() * (c === 0 ? 2 : 1));
    const sum = raw.reduce((a, b) => a + b, 0);
    raw.forEach((v, c) => (values[cell * labelCount + c] = v / sum));
  }
  return values;
}

const overlaps = (a: ScoredSpan, b: ScoredSpan) => a.start < b.end && b.start < a.end;

/**
 * Brute force: of all sets of pairwise disjoint candidates, the one whose scores sorted in
 * descending order are lexicographically greatest. Greedy selection by descending score is
 * exactly that set, so this checks the decoder without sharing its algorithm.
 */
function bruteForce(candidates: ScoredSpan[]): ScoredSpan[] {
  let best: ScoredSpan[] = [];
  let bestKey: number[] = [];
  for (let mask = 0; mask < 1 << candidates.length; mask++) {
    const set = candidates.filter((_, k) => (mask >> k) & 1);
    if (set.some((a, i) => set.some((b, j) => i < j && overlaps(a, b)))) continue;
    const key = set.map((s) => s.score).sort((a, b) => b - a);
    let greater = false;
    for (let k = 0; k < Math.max(key.length, bestKey.length); k++) {
      const a = key[k] ?? -1;
      const b = bestKey[k] ?? -1;
      if (a !== b) {
        greater = a > b;
        break;
      }
    }
    if (greater) {
      best = set;
      bestKey = key;
    }
  }
  return [...best].sort((a, b) => a.start - b.start);
}

/** The non-null argmax spans, found independently of the decoder's own scan. */
function referenceCandidates(
  values: Float32Array,
  length: number,
  labelCount: number,
  maxWidth: number,
): ScoredSpan[] {
  const out: ScoredSpan[] = [];
  for (let i = 0; i < length; i++)
    for (let j = i; j < length && j - i < maxWidth; j++) {
      const scores = Array.from(
        values.subarray((i * length + j) * labelCount).slice(0, labelCount),
      );
      const label = scores.indexOf(Math.max(...scores));
      if (label !== 0) out.push({ start: i, end: j + 1, label, score: scores[label] as number });
    }
  return out;
}

describe('flat decoding', () => {
  it('equals the brute-force best greedy set on random score tables (n <= 5)', () => {
    const random = new SeededRandom(11);
    let multiSpan = 0;
    for (let trial = 0; trial < 300; trial++) {
      const length = 1 + random.int(5);
      const labelCount = 2 + random.int(3);
      const maxWidth = random.next() < 0.3 ? 1 + random.int(length) : length;
      const values = randomTable(random, length, labelCount);
      const candidates = referenceCandidates(values, length, labelCount, maxWidth);
      expect(candidateSpans({ values, length, labelCount, maxWidth })).toEqual(candidates);
      const expected = bruteForce(candidates);
      expect(decodeFlatSpans({ values, length, labelCount, maxWidth })).toEqual(expected);
      if (expected.length > 1) multiSpan += 1;
    }
    // The cases exercise real choices, not only empty or single-span results.
    expect(multiSpan).toBeGreaterThan(60);
  });

  it('reads one sentence out of a padded batch table', () => {
    const random = new SeededRandom(3);
    const stride = 6;
    const labelCount = 3;
    const batch = randomTable(random, stride, labelCount);
    const padded = new Float32Array(2 * batch.length);
    padded.set(batch, batch.length);
    // The second sentence has 4 real words: copy its 4x4 corner out and decode that alone.
    const alone = new Float32Array(4 * 4 * labelCount);
    for (let i = 0; i < 4; i++)
      for (let j = 0; j < 4; j++)
        for (let c = 0; c < labelCount; c++)
          alone[(i * 4 + j) * labelCount + c] = batch[(i * stride + j) * labelCount + c] as number;
    expect(
      decodeFlatSpans({ values: padded, offset: batch.length, stride, length: 4, labelCount }),
    ).toEqual(decodeFlatSpans({ values: alone, length: 4, labelCount }));
  });

  it('rejects nested and overlapping spans and keeps the higher score (constructed)', () => {
    // 4 words, labels null / PER / LOC. Cells default to a sure null.
    const length = 4;
    const labelCount = 3;
    const values = new Float32Array(length * length * labelCount);
    for (let cell = 0; cell < length * length; cell++) values[cell * labelCount] = 1;
    const set = (start: number, endInclusive: number, probabilities: number[]) =>
      values.set(probabilities, (start * length + endInclusive) * labelCount);
    set(0, 2, [0.1, 0.6, 0.3]); // [0,3) PER 0.6
    set(1, 1, [0.2, 0.1, 0.7]); // [1,2) LOC 0.7: nested inside [0,3), wins
    set(2, 3, [0.3, 0.1, 0.6]); // [2,4) LOC 0.6: disjoint from [1,2), accepted
    set(0, 0, [0.4, 0.5, 0.1]); // [0,1) PER 0.5: disjoint, accepted
    set(0, 3, [0.1, 0.8, 0.1]); // [0,4) PER 0.8: takes everything first
    expect(decodeFlatSpans({ values, length, labelCount })).toEqual([
      { start: 0, end: 4, label: 1, score: expect.closeTo(0.8, 6) },
    ]);
    set(0, 3, [0.9, 0.05, 0.05]); // now [0,4) is null
    expect(decodeFlatSpans({ values, length, labelCount })).toEqual([
      { start: 0, end: 1, label: 1, score: expect.closeTo(0.5, 6) },
      { start: 1, end: 2, label: 2, score: expect.closeTo(0.7, 6) },
      { start: 2, end: 4, label: 2, score: expect.closeTo(0.6, 6) },
    ]);
    // A width limit of 1 leaves only the one-word spans.
    expect(decodeFlatSpans({ values, length, labelCount, maxWidth: 1 })).toEqual([
      { start: 0, end: 1, label: 1, score: expect.closeTo(0.5, 6) },
      { start: 1, end: 2, label: 2, score: expect.closeTo(0.7, 6) },
    ]);
  });

  it('never returns overlapping spans and keeps every span no accepted higher one blocks (property, n <= 40)', () => {
    const random = new SeededRandom(29);
    for (let trial = 0; trial < 60; trial++) {
      const length = 1 + random.int(40);
      const labelCount = 2 + random.int(4);
      const values = randomTable(random, length, labelCount);
      const decoded = decodeFlatSpans({ values, length, labelCount });
      for (let k = 1; k < decoded.length; k++)
        expect(decoded[k]!.start).toBeGreaterThanOrEqual(decoded[k - 1]!.end);
      // Maximality: every rejected candidate overlaps an accepted span scoring at least as high.
      for (const candidate of candidateSpans({ values, length, labelCount })) {
        if (decoded.some((d) => d.start === candidate.start && d.end === candidate.end)) continue;
        expect(decoded.some((d) => overlaps(d, candidate) && d.score >= candidate.score)).toBe(
          true,
        );
      }
    }
  });
});
