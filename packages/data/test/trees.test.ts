import { describe, expect, it } from 'vitest';
import type { TreeNode } from '@stem/core';
import { readPropbankSource } from '../src/corpora/propbank-source.js';
import { DataFormatError } from '../src/errors.js';
import { conll2012Tree, parseConll2012 } from '../src/readers/conll2012.js';
import { parsePtb, writePtb } from '../src/readers/ptb.js';
import { binarize, debinarize } from '../src/trees/binarize.js';
import { normalizeTree, stripFunctionTags, treeToString, treeWords } from '../src/trees/tree.js';
import { PROPBANK_SOURCE } from './support.js';

const tree = (text: string): TreeNode => parsePtb(text)[0]!.tree;

const FIXTURE_TREES = [
  '(TOP (S (NP (PRP I)) (VP (VBD gave) (NP (PRP him)) (NP (DT a) (NN book)) (ADVP (RB yesterday))) (. .)))',
  '(TOP (S (S (VP (VB Go) (ADVP (RB now)))) (. .)))',
  '(TOP (FRAG (NP (NP (NN x)))))',
  '(TOP (S (NP (NNP John)) (VP (VBD said) (SBAR (S (NP (PRP he)) (VP (MD would) (VP (VB go) (PP (IN to) (NP (NNP Paris)) ) (NP (NN today)) (ADVP (RB too)) ))))) (. .)))',
  '(TOP (NP (NN single)))',
  '( (S (NP (DT The) (NN end)) (. .)))',
];

describe('PTB trees', () => {
  it('reads bracketed trees over several lines, unlabeled roots included, and writes them back', () => {
    const text = '(TOP (S (NP (PRP I))\n  (VP (VBP run))))\n( (S (NP (NN x)) (VP (VBZ is))))\n';
    const trees = parsePtb(text, 'two.mrg');
    expect(trees.map((t) => t.line)).toEqual([1, 3]);
    expect(trees[1]!.tree.label).toBe('');
    expect(writePtb(trees.map((t) => t.tree))).toBe(
      '(TOP (S (NP (PRP I)) (VP (VBP run))))\n( (S (NP (NN x)) (VP (VBZ is))))\n',
    );
    expect(parsePtb(writePtb(trees.map((t) => t.tree))).map((t) => t.tree)).toEqual(
      trees.map((t) => t.tree),
    );
  });

  it.each([
    ['(TOP (S (NP (PRP I))', 1, 'never closed'],
    ['(TOP (S (NP (PRP I)))))', 1, 'expected "\\(" to start a tree'],
    ['(TOP (S\n (NN a b)))', 2, 'a node holds either one word or sub-trees'],
    ['(TOP (S ()))', 1, 'empty bracket'],
    ['(TOP\n (S (NP I (NN x))))', 2, 'sub-tree after its word'],
    ['word', 1, 'expected "\\(" to start a tree'],
    ['('.repeat(1200) + 'X y' + ')'.repeat(1200), 1, 'nested deeper'],
  ])('reports malformed trees as file:line (%#)', (text, line, problem) => {
    const parse = () => parsePtb(text, 'bad.mrg');
    expect(parse).toThrow(DataFormatError);
    expect(parse).toThrow(new RegExp(`^bad\\.mrg:${line}: .*${problem}`));
  });

  it('strips function tags and co-indices, and removes empty elements with the phrases they empty', () => {
    expect(stripFunctionTags('NP-SBJ-1')).toBe('NP');
    expect(stripFunctionTags('PP-LOC=2')).toBe('PP');
    expect(stripFunctionTags('-LRB-')).toBe('-LRB-');
    const t = tree(
      '(TOP (S (NP-SBJ-1 (-NONE- *T*-1)) (NP-SBJ (PRP I)) (VP (VBD left) (NP (-NONE- *))) (. .)))',
    );
    expect(treeToString(normalizeTree(t)!)).toBe('(TOP (S (NP (PRP I)) (VP (VBD left)) (. .)))');
    expect(normalizeTree(tree('(TOP (S (-NONE- *)))'))).toBeNull();
  });
});

describe('binarisation', () => {
  it('left-binarises with X|<> nodes and keeps single pre-terminal phrases', () => {
    expect(treeToString(binarize(tree(FIXTURE_TREES[0]!)))).toBe(
      '(TOP (S (S|<> (NP (PRP I)) (VP (VP|<> (VP|<> (VBD gave) (NP (PRP him))) (NP (DT a) (NN book))) (ADVP (RB yesterday)))) (. .)))',
    );
  });

  it('collapses unary chains into A+B, naming intermediates after the lowest label, but keeps the root apart', () => {
    expect(treeToString(binarize(tree(FIXTURE_TREES[1]!)))).toBe(
      '(TOP (S (S+VP (VB Go) (ADVP (RB now))) (. .)))',
    );
    expect(treeToString(binarize(tree('(TOP (S (VP (VB a) (VB b) (VB c))))')))).toBe(
      '(TOP (S+VP (VP|<> (VB a) (VB b)) (VB c)))',
    );
    expect(
      treeToString(binarize(tree('(TOP (S (VP (VB a) (VB b))))'), { collapseRoot: true })),
    ).toBe('(TOP+S+VP (VB a) (VB b))');
    expect(treeToString(binarize(tree(FIXTURE_TREES[2]!)))).toBe('(TOP (FRAG+NP+NP (NN x)))');
  });

  it('refuses labels that would not round-trip', () => {
    expect(() => binarize(tree('(TOP (A+B (NN x) (NN y)))'))).toThrow(RangeError);
    expect(() => binarize(tree('(TOP (A|B (NN x) (NN y)))'))).toThrow(RangeError);
  });

  it.each(FIXTURE_TREES)('debinarize(binarize(t)) is t: %s', (text) => {
    const t = tree(text);
    expect(debinarize(binarize(t))).toEqual(t);
    expect(debinarize(binarize(t, { collapseRoot: true }))).toEqual(t);
    // Binary: every phrase has at most two children.
    const binary = (n: TreeNode): boolean => n.children.length <= 2 && n.children.every(binary);
    expect(binary(binarize(t))).toBe(true);
  });

  it('binarise-then-debinarise is the identity on every ewt-5 tree, and PTB write/read too', async () => {
    const source = await readPropbankSource(PROPBANK_SOURCE);
    const trees: TreeNode[] = [];
    for (const { path, text } of source.files) {
      for (const s of parseConll2012(text, path).documents[0]!.sentences)
        trees.push(normalizeTree(conll2012Tree(s, path)!)!);
    }
    expect(trees).toHaveLength(16579);
    let mismatches = 0;
    for (const t of trees) {
      if (JSON.stringify(debinarize(binarize(t))) !== JSON.stringify(t)) mismatches++;
    }
    expect(mismatches).toBe(0);
    const reread = parsePtb(writePtb(trees)).map((p) => p.tree);
    expect(reread).toEqual(trees);
    expect(treeWords(trees[0]!).every((w) => w === '[WORD]')).toBe(true);
  });
});
