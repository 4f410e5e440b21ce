import { describe, expect, it } from 'vitest';
import { cky } from '../src/cky.js';
import { insideAlgorithm, spanMarginals } from '../src/tree-crf.js';
import { allBracketings, randomChart, treeScore } from './brute-force.js';

const catalan = [1, 1, 2, 5, 14, 42, 132];

describe('TreeCRF inside algorithm', () => {
  it('log Z equals the log-sum-exp of the scores of every binary tree (n = 1..6)', () => {
    for (let n = 1; n <= 6; n++) {
      const chart = randomChart(n, 100 + n);
      const trees = allBracketings(0, n);
      expect(trees.length).toBe(catalan[n - 1]);
      const scores = trees.map((t) => treeScore(chart, n, t));
      const max = Math.max(...scores);
      const expected = max + Math.log(scores.reduce((s, v) => s + Math.exp(v - max), 0));
      expect(insideAlgorithm({ n, values: chart }).logPartition).toBeCloseTo(expected, 10);
    }
  });

  it('span marginals equal the brute-force probability mass of the trees containing the span', () => {
    const n = 5;
    const chart = randomChart(n, 7);
    const trees = allBracketings(0, n);
    const weights = trees.map((t) => Math.exp(treeScore(chart, n, t)));
    const total = weights.reduce((a, b) => a + b, 0);
    const { marginals } = spanMarginals({ n, values: chart });
    for (let i = 0; i < n; i++)
      for (let j = i + 1; j <= n; j++) {
        const mass = trees.reduce(
          (sum, t, k) => sum + (t.some((s) => s.start === i && s.end === j) ? weights[k]! : 0),
          0,
        );
        expect(marginals[i * (n + 1) + j]).toBeCloseTo(mass / total, 10);
      }
  });

  it('span marginals equal finite-difference derivatives of log Z (n = 8)', () => {
    const n = 8;
    const chart = randomChart(n, 11);
    const { marginals } = spanMarginals({ n, values: chart });
    const h = 1e-5;
    for (let i = 0; i < n; i++)
      for (let j = i + 1; j <= n; j++) {
        const plus = Float64Array.from(chart);
        const minus = Float64Array.from(chart);
        plus[i * (n + 1) + j]! += h;
        minus[i * (n + 1) + j]! -= h;
        const derivative =
          (insideAlgorithm({ n, values: plus }).logPartition -
            insideAlgorithm({ n, values: minus }).logPartition) /
          (2 * h);
        expect(marginals[i * (n + 1) + j]).toBeCloseTo(derivative, 6);
      }
    // Every tree has 2n - 1 spans, so the marginals sum to 2n - 1.
    let sum = 0;
    for (const m of marginals) sum += m;
    expect(sum).toBeCloseTo(2 * n - 1, 8);
  });

  it('reads a sentence out of a padded batch chart (stride and offset)', () => {
    const n = 4;
    const size = 7;
    const own = randomChart(n, 3);
    const batch = new Float64Array(2 * size * size).fill(50);
    for (let i = 0; i <= n; i++)
      for (let j = 0; j <= n; j++) batch[size * size + i * size + j] = own[i * (n + 1) + j]!;
    expect(
      insideAlgorithm({ n, values: batch, stride: size, offset: size * size }).logPartition,
    ).toBeCloseTo(insideAlgorithm({ n, values: own }).logPartition, 12);
  });

  it('stays finite for long sentences with large scores (log space)', () => {
    const n = 120;
    const { logPartition, marginals } = spanMarginals({ n, values: randomChart(n, 5, 60) });
    expect(Number.isFinite(logPartition)).toBe(true);
    expect(marginals[n]).toBeCloseTo(1, 8);
    expect([...marginals].every((m) => m >= -1e-9 && m <= 1 + 1e-9)).toBe(true);
  });

  it('rejects an empty sentence', () => {
    expect(() => insideAlgorithm({ n: 0, values: [0] })).toThrow(/at least one word/);
  });
});

describe('CKY', () => {
  it('returns the best tree found by enumerating every binary tree (n = 1..6)', () => {
    for (let n = 1; n <= 6; n++)
      for (let seed = 0; seed < 5; seed++) {
        const chart = randomChart(n, 1000 * n + seed);
        const best = Math.max(...allBracketings(0, n).map((t) => treeScore(chart, n, t)));
        const result = cky({ n, values: chart });
        expect(result.score).toBeCloseTo(best, 10);
        expect(treeScore(chart, n, result.spans)).toBeCloseTo(best, 10);
        expect(result.spans).toHaveLength(2 * n - 1);
        expect(allBracketings(0, n).map((t) => JSON.stringify(t))).toContain(
          JSON.stringify(result.spans),
        );
      }
  });

  it('breaks ties toward the leftmost split point (a right-branching tree on a flat chart)', () => {
    expect(cky({ n: 3, values: new Float64Array(16) }).spans).toEqual([
      { start: 0, end: 3 },
      { start: 0, end: 1 },
      { start: 1, end: 3 },
      { start: 1, end: 2 },
      { start: 2, end: 3 },
    ]);
  });
});
