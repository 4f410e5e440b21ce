import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { isProjective, nonProjectiveArcs, treeProblems } from '../src/dependency/projectivity.js';
import { conlluToSentence, parseConllu } from '../src/readers/conllu.js';
import { EWT_DEV } from './support.js';

describe('dependency projectivity', () => {
  it('accepts a projective tree', () => {
    // I(1) saw(2) a(3) dog(4): saw is the root.
    expect(isProjective([2, 0, 4, 2])).toBe(true);
    expect(treeProblems([2, 0, 4, 2])).toEqual([]);
  });

  it('finds the crossing arcs of a non-projective tree', () => {
    // A hearing(2) is scheduled on the issue today: "on the issue"(5..7) attaches to hearing across "is scheduled".
    const heads = [2, 4, 4, 0, 7, 7, 2, 4];
    expect(isProjective(heads)).toBe(false);
    expect(nonProjectiveArcs(heads)).toEqual([[7, 2]]);
  });

  it('names what keeps heads from being a tree', () => {
    expect(treeProblems([2, 1])).toEqual([
      'no word attaches to ROOT',
      'word 1 is on a cycle',
      'word 2 is on a cycle',
    ]);
    expect(treeProblems([0, 0])).toEqual(['2 words attach to ROOT']);
    expect(treeProblems([3, 0])).toEqual(['word 1: head 3 out of range']);
  });

  it('finds most UD EWT dev trees projective, a few not', () => {
    const trees = parseConllu(readFileSync(EWT_DEV, 'utf8')).sentences.map(
      (s) => conlluToSentence(s).annotations.dep!,
    );
    expect(trees.every((t) => treeProblems(t.heads).length === 0)).toBe(true);
    const nonProjective = trees.filter((t) => !isProjective(t.heads)).length;
    expect(nonProjective).toBeGreaterThan(0);
    expect(nonProjective / trees.length).toBeLessThan(0.1);
  });
});
