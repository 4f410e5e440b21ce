import type { TreeNode } from '@stem/core';
import { parsePtb, treesEqual, treeToString, treeWords } from '@stem/data';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  goldBrackets,
  NULL_LABEL,
  treeFromBrackets,
  treeLeaves,
} from '../src/labelled-brackets.js';
import { readEwtTrees } from './support.js';

const tree = (text: string): TreeNode => parsePtb(text)[0]!.tree;

describe('goldBrackets', () => {
  it('binarises left, collapses unary chains with the root, and marks bare words NULL', () => {
    const brackets = goldBrackets(
      tree('(TOP (S (NP-SBJ (PRP I)) (VP (VBD saw) (NP (DT the) (JJ big) (NN dog))) (. .)))'),
    );
    expect(brackets.map((b) => `${b.start}-${b.end} ${b.label}`)).toEqual([
      '0-6 TOP+S',
      '0-5 S|<>',
      '0-1 NP',
      '1-5 VP',
      '1-2 <null>',
      '2-5 NP',
      '2-4 NP|<>',
      '2-3 <null>',
      '3-4 <null>',
      '4-5 <null>',
      '5-6 <null>',
    ]);
  });

  it('drops empty elements and the phrases they leave empty', () => {
    const brackets = goldBrackets(
      tree('(TOP (S (NP-SBJ (-NONE- *)) (VP (VB Go) (ADVP (RB home)))))'),
    );
    expect(brackets.map((b) => `${b.start}-${b.end} ${b.label}`)).toEqual([
      '0-2 TOP+S+VP',
      '0-1 <null>',
      '1-2 ADVP',
    ]);
  });

  it('gives a one-word sentence a single root span', () => {
    expect(goldBrackets(tree('(TOP (INTJ (UH Hi)))'))).toEqual([
      { start: 0, end: 1, label: 'TOP+INTJ' },
    ]);
  });
});

describe('treeFromBrackets', () => {
  it('rejects bracketings that are not one binary tree', () => {
    const leaves = treeLeaves(tree('(S (A a) (B b) (C c))'));
    const ok = [
      { start: 0, end: 3, label: 'S' },
      { start: 0, end: 2, label: 'S|<>' },
      { start: 0, end: 1, label: NULL_LABEL },
      { start: 1, end: 2, label: NULL_LABEL },
      { start: 2, end: 3, label: NULL_LABEL },
    ];
    expect(treeToString(treeFromBrackets(ok, leaves))).toBe('(S (A a) (B b) (C c))');
    expect(() => treeFromBrackets(ok.slice(0, 4), leaves)).toThrow(/span \(2, 3\) is missing/);
    expect(() => treeFromBrackets([...ok, { start: 1, end: 3, label: 'X' }], leaves)).toThrow(
      /do not form one binary tree/,
    );
    expect(() =>
      treeFromBrackets([{ ...ok[0]!, label: NULL_LABEL }, ...ok.slice(1)], leaves),
    ).toThrow(/wider than a word is NULL/);
  });
});

describe('round trips on real EWT gold trees', () => {
  let trees: TreeNode[];
  beforeAll(async () => {
    trees = (await readEwtTrees(60)).skeletonTrees;
  });

  it('binarise -> spans -> tree -> de-binarise gives back every tree exactly', () => {
    expect(trees.length).toBeGreaterThan(500);
    let unaryChains = 0;
    let wide = 0;
    for (const gold of trees) {
      const brackets = goldBrackets(gold);
      const n = treeWords(gold).length;
      // A full binary bracketing, each span once.
      expect(brackets).toHaveLength(2 * n - 1);
      expect(new Set(brackets.map((b) => `${b.start}:${b.end}`)).size).toBe(2 * n - 1);
      if (brackets.some((b) => b.label.includes('+'))) unaryChains++;
      if (brackets.some((b) => b.label.endsWith('|<>'))) wide++;
      const rebuilt = treeFromBrackets(brackets, treeLeaves(gold));
      if (!treesEqual(rebuilt, gold)) expect(treeToString(rebuilt)).toBe(treeToString(gold));
    }
    // The sample exercises both transformations.
    expect(unaryChains).toBeGreaterThan(100);
    expect(wide).toBeGreaterThan(100);
  });
});
