/**
 * Between trees and the span parser: a tree becomes the labelled binary bracketing the
 * TreeCRF trains on, and a decoded bracketing becomes an n-ary tree again.
 *
 * Gold side: the tree is normalised (function tags and empty elements removed), binarised
 * with @stem/data's `binarize` (unary chains collapsed to `A+B`, the root included, so `TOP`
 * and its only child form one `TOP+S` span; left-binarised with `X|<>` intermediate nodes).
 * Every phrase of the result is one span; a word directly under a two-child phrase is a
 * width-1 span labelled NULL_LABEL. The result is always a full binary bracketing: 2n - 1
 * spans over n words.
 *
 * Decoded side: the spans are nested into a binary tree over the given pre-terminals, NULL
 * spans dissolve into their pre-terminal, and `debinarize` splices `X|<>` nodes and expands
 * `A+B` chains.
 */
import type { TreeNode } from '@stem/core';
import { binarize, debinarize, normalizeTree, preterminals } from '@stem/data';
import type { Span } from './span-chart.js';

/** Label of a width-1 span that is only a pre-terminal (no phrase over the single word). */
export const NULL_LABEL = '<null>';

export interface LabelledBracket extends Span {
  label: string;
}

/** The tree a parser trains on and is scored against: function tags and `-NONE-` removed. */
export function parserTree(tree: TreeNode): TreeNode | null {
  return normalizeTree(tree);
}

/** The labelled binary bracketing of a tree, pre-order. */
export function goldBrackets(tree: TreeNode): LabelledBracket[] {
  const normal = parserTree(tree);
  if (!normal) throw new RangeError('goldBrackets: the tree has no words besides empty elements');
  const binary = binarize(normal, { collapseRoot: true });
  const out: LabelledBracket[] = [];
  const walk = (node: TreeNode, start: number, underPair: boolean): number => {
    if (node.word !== undefined) {
      if (underPair) out.push({ start, end: start + 1, label: NULL_LABEL });
      return start + 1;
    }
    const slot = out.length;
    out.push({ start, end: start, label: node.label });
    let end = start;
    for (const child of node.children) end = walk(child, end, node.children.length > 1);
    out[slot]!.end = end;
    return end;
  };
  walk(binary, 0, false);
  return out;
}

/**
 * Rebuilds an n-ary tree from a labelled full binary bracketing over `leaves` (pre-terminals
 * in word order). Throws a RangeError when the spans are not a full binary bracketing, when a
 * span wider than one word or the root is NULL, or when the root is an intermediate node.
 */
export function treeFromBrackets(
  brackets: readonly LabelledBracket[],
  leaves: readonly TreeNode[],
): TreeNode {
  const n = leaves.length;
  const byStart = new Map<number, LabelledBracket[]>();
  for (const b of brackets) {
    const list = byStart.get(b.start) ?? [];
    list.push(b);
    byStart.set(b.start, list);
  }
  let used = 0;
  const take = (start: number, end: number): LabelledBracket => {
    const found = byStart.get(start)?.find((b) => b.end === end);
    if (!found) throw new RangeError(`treeFromBrackets: span (${start}, ${end}) is missing`);
    used++;
    return found;
  };
  // Widest span at `start` below `limit` is the left child (pre-order nesting).
  const build = (start: number, end: number): TreeNode => {
    const bracket = take(start, end);
    let children: TreeNode[];
    if (end - start === 1) {
      const leaf = leaves[start]!;
      if (bracket.label === NULL_LABEL) return { ...leaf, children: [] };
      children = [{ ...leaf, children: [] }];
    } else {
      if (bracket.label === NULL_LABEL)
        throw new RangeError(`treeFromBrackets: span (${start}, ${end}) wider than a word is NULL`);
      const candidates = (byStart.get(start) ?? []).filter((b) => b.end < end).map((b) => b.end);
      if (candidates.length === 0)
        throw new RangeError(`treeFromBrackets: span (${start}, ${end}) has no left child`);
      const split = Math.max(...candidates);
      children = [build(start, split), build(split, end)];
    }
    return { label: bracket.label, children };
  };
  if (n === 0) throw new RangeError('treeFromBrackets: no words');
  const root = build(0, n);
  if (used !== brackets.length || brackets.length !== 2 * n - 1)
    throw new RangeError(
      `treeFromBrackets: ${brackets.length} spans do not form one binary tree over ${n} words`,
    );
  if (root.word !== undefined)
    throw new RangeError('treeFromBrackets: the root span must be a phrase, not NULL');
  return debinarize(root);
}

/** Pre-terminals of a tree, as the leaves to rebuild a decoded tree on. */
export function treeLeaves(tree: TreeNode): TreeNode[] {
  return preterminals(tree).map((p) => ({ label: p.label, children: [], word: p.word! }));
}
