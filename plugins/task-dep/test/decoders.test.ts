import { SeededRandom } from '@stem/core';
import { isProjective, treeProblems } from '@stem/data';
import { describe, expect, it } from 'vitest';
import {
  arcScores,
  isProjectiveTree,
  isSingleRootedTree,
  treeScore,
  type ArcScores,
} from '../src/decoding/arc-scores.js';
import { argmaxHeads } from '../src/decoding/argmax.js';
import { chuLiuEdmondsHeads } from '../src/decoding/chu-liu-edmonds.js';
import { decodeTree } from '../src/decoding/decode-tree.js';
import { eisnerHeads } from '../src/decoding/eisner.js';

/** Every head assignment of n words (each word any head but itself). */
function* allHeadAssignments(n: number): Generator<number[]> {
  const heads = new Array<number>(n).fill(0);
  const advance = (): boolean => {
    for (let i = n - 1; i >= 0; i--) {
      let next = heads[i]! + 1;
      if (next === i + 1) next++;
      if (next <= n) {
        heads[i] = next;
        return true;
      }
      heads[i] = 0;
    }
    return false;
  };
  do {
    if (heads.every((h, i) => h !== i + 1)) yield heads.slice();
  } while (advance());
}

/** All single-rooted trees, checked by @stem/data's independent tree code. */
function singleRootedTrees(n: number): number[][] {
  return [...allHeadAssignments(n)].filter((h) => treeProblems(h).length === 0);
}

/** Random log-probability-like scores: each word's row over heads normalised by log-softmax. */
function randomScores(n: number, random: SeededRandom): ArcScores {
  const size = n + 1;
  const values = new Float64Array(size * size);
  for (let d = 1; d <= n; d++) {
    const row = Array.from({ length: size }, () => random.uniform(-4, 4));
    const max = Math.max(...row);
    const logZ = max + Math.log(row.reduce((sum, v) => sum + Math.exp(v - max), 0));
    row.forEach((v, h) => (values[d * size + h] = v - logZ));
  }
  return arcScores(n, values);
}

function best(trees: number[][], scores: ArcScores): number {
  return Math.max(...trees.map((t) => treeScore(scores, t)));
}

const TREES = new Map<number, number[][]>();
const treesOf = (n: number) => {
  if (!TREES.has(n)) TREES.set(n, singleRootedTrees(n));
  return TREES.get(n)!;
};

describe('tree enumeration (sanity of the brute force)', () => {
  it('enumerates the n^(n-1) single-rooted trees and the known number of projective ones', () => {
    // Trees over words 1..n with one ROOT child: choose the root word (n ways) times the
    // rooted spanning trees with that root: n^(n-1) in all.
    for (const n of [1, 2, 3, 4, 5]) expect(treesOf(n)).toHaveLength(n ** (n - 1));
    // Projective ones with one ROOT child: 1, 2, 7, 30, 143 (OEIS A006013).
    expect([1, 2, 3, 4, 5].map((n) => treesOf(n).filter((t) => isProjective(t)).length)).toEqual([
      1, 2, 7, 30, 143,
    ]);
  });
});

describe('Eisner', () => {
  it('finds the best projective single-rooted tree (brute force, n <= 7, many seeds)', () => {
    const random = new SeededRandom(11);
    for (let n = 1; n <= 7; n++) {
      const projective = (n <= 5 ? treesOf(n) : singleRootedTrees(n)).filter((t) =>
        isProjective(t),
      );
      const seeds = n <= 5 ? 60 : 8;
      for (let k = 0; k < seeds; k++) {
        const scores = randomScores(n, random);
        const heads = eisnerHeads(scores);
        expect(treeProblems(heads), `n=${n} seed ${k}`).toEqual([]);
        expect(isProjective(heads)).toBe(true);
        expect(treeScore(scores, heads)).toBeCloseTo(best(projective, scores), 9);
      }
    }
  });

  it('returns the argmax when the argmax is a projective tree, and [] for no words', () => {
    // Scores that strongly prefer 2 <- 1, 0 -> 2, 2 -> 3 (a projective tree).
    const scores = arcScores(
      3,
      // rows d = 0..3, columns h = 0..3
      [0, 0, 0, 0, -9, -9, -1, -9, -1, -9, -9, -9, -9, -9, -1, -9],
    );
    expect(argmaxHeads(scores)).toEqual([2, 0, 2]);
    expect(eisnerHeads(scores)).toEqual([2, 0, 2]);
    expect(eisnerHeads(arcScores(0, [0]))).toEqual([]);
  });
});

describe('Chu-Liu/Edmonds', () => {
  it('finds the best single-rooted tree, projective or not (brute force, n <= 6)', () => {
    const random = new SeededRandom(12);
    let nonProjectiveWins = 0;
    for (let n = 1; n <= 6; n++) {
      const trees = n <= 5 ? treesOf(n) : singleRootedTrees(n);
      const seeds = n <= 5 ? 60 : 10;
      for (let k = 0; k < seeds; k++) {
        const scores = randomScores(n, random);
        const heads = chuLiuEdmondsHeads(scores);
        expect(treeProblems(heads), `n=${n} seed ${k}`).toEqual([]);
        expect(treeScore(scores, heads)).toBeCloseTo(best(trees, scores), 9);
        if (!isProjective(heads)) nonProjectiveWins++;
      }
    }
    // The random cases do exercise non-projective optima, which Eisner cannot reach.
    expect(nonProjectiveWins).toBeGreaterThan(5);
  });

  it('breaks a cycle of argmax heads and keeps one ROOT child when the argmax wants several', () => {
    // Argmax: 1 <- 2, 2 <- 1 (a cycle), 3 <- 0.
    const cyclic = arcScores(3, [0, 0, 0, 0, -5, -9, -1, -6, -9, -1, -9, -9, -1, -9, -9, -9]);
    expect(isSingleRootedTree(argmaxHeads(cyclic))).toBe(false);
    expect(treeProblems(chuLiuEdmondsHeads(cyclic))).toEqual([]);
    // Argmax: every word on ROOT.
    const flat = arcScores(3, [0, 0, 0, 0, -1, -9, -2, -3, -1, -2, -9, -3, -1, -2, -3, -9]);
    expect(argmaxHeads(flat)).toEqual([0, 0, 0]);
    const heads = chuLiuEdmondsHeads(flat);
    expect(heads.filter((h) => h === 0)).toHaveLength(1);
    expect(treeScore(flat, heads)).toBeCloseTo(best(treesOf(3), flat), 9);
  });
});

describe('decodeTree', () => {
  it('argmax with a tree fallback always returns a single-rooted tree (property, random scores)', () => {
    const random = new SeededRandom(13);
    for (let k = 0; k < 300; k++) {
      const n = 1 + random.int(12);
      const scores = randomScores(n, random);
      const eisner = decodeTree(scores, { decoder: 'argmax', treeFallback: 'eisner' });
      expect(isSingleRootedTree(eisner)).toBe(true);
      expect(isProjectiveTree(eisner)).toBe(true);
      const cle = decodeTree(scores, { decoder: 'argmax', treeFallback: 'chu-liu-edmonds' });
      expect(isSingleRootedTree(cle)).toBe(true);
      for (const decoder of ['eisner', 'chu-liu-edmonds'] as const)
        expect(isSingleRootedTree(decodeTree(scores, { decoder, treeFallback: 'none' }))).toBe(
          true,
        );
    }
  });

  it('keeps a well-formed argmax, re-decodes a bad one, and leaves it alone without fallback', () => {
    const random = new SeededRandom(14);
    let fellBack = 0;
    let kept = 0;
    for (let k = 0; k < 200; k++) {
      const scores = randomScores(5, random);
      const argmax = argmaxHeads(scores);
      const decoded = decodeTree(scores, { decoder: 'argmax', treeFallback: 'eisner' });
      if (isSingleRootedTree(argmax) && isProjectiveTree(argmax)) {
        kept++;
        expect(decoded).toEqual(argmax);
      } else {
        fellBack++;
        expect(decoded).toEqual(eisnerHeads(scores));
      }
      expect(decodeTree(scores, { decoder: 'argmax', treeFallback: 'none' })).toEqual(argmax);
    }
    expect(kept).toBeGreaterThan(0);
    expect(fellBack).toBeGreaterThan(0);
  });

  it('agrees with @stem/data on projectivity of every tree of 5 words', () => {
    for (const tree of treesOf(5)) {
      expect(isSingleRootedTree(tree)).toBe(true);
      expect(isProjectiveTree(tree)).toBe(isProjective(tree));
    }
  });
});
