/**
 * Tree binarisation for span-based CKY parsing (the paper's CON head) and its exact inverse.
 *
 * `binarize` does two things, in this order:
 * 1. collapses unary chains of phrases into one node labelled `A+B` (`S → VP → ...` becomes
 *    `S+VP`); a phrase over a single pre-terminal (`NP → PRP`) is left alone, since POS tags
 *    are not spans; the root is not merged with its child unless `collapseRoot` is set, so
 *    `TOP` stays on its own like in the original code;
 * 2. left-binarises every phrase with more than two children: `X → c1 c2 c3 c4` becomes
 *    `X → (X|<> → (X|<> → c1 c2) c3) c4`, where the intermediate label is the lowest
 *    component of a collapsed label (`S+VP` gives `VP|<>`).
 *
 * `debinarize` splices every `|<>` node into its parent and expands `A+B` back into a chain,
 * so `debinarize(binarize(t))` equals `t` for any tree whose phrase labels contain neither
 * `+` nor `|` (checked: such labels raise a RangeError rather than round-tripping wrongly).
 */
import type { TreeNode } from '@stem/core';

export const UNARY_JOIN = '+';
export const INTERMEDIATE_SUFFIX = '|<>';

export interface BinarizeOptions {
  /** Merge the root with a unary child too (`TOP+S`). Default false. */
  collapseRoot?: boolean;
}

export function binarize(tree: TreeNode, options: BinarizeOptions = {}): TreeNode {
  checkLabels(tree);
  const collapsed = collapseUnary(tree, options.collapseRoot ?? false);
  return leftBinarize(collapsed);
}

function checkLabels(n: TreeNode): void {
  if (n.word !== undefined) return;
  if (n.label.includes(UNARY_JOIN) || n.label.includes('|')) {
    throw new RangeError(
      `binarize: phrase label ${JSON.stringify(n.label)} contains '+' or '|', which binarised labels reserve`,
    );
  }
  if (n.children.length === 0) throw new RangeError(`binarize: phrase ${n.label} has no children`);
  n.children.forEach(checkLabels);
}

function collapseUnary(n: TreeNode, mergeHere: boolean): TreeNode {
  if (n.word !== undefined) return { label: n.label, children: [], word: n.word };
  let label = n.label;
  let cur = n;
  if (mergeHere) {
    while (cur.children.length === 1 && cur.children[0]!.word === undefined) {
      cur = cur.children[0]!;
      label += UNARY_JOIN + cur.label;
    }
  } else if (cur.children.length === 1 && cur.children[0]!.word === undefined) {
    // Root kept alone: its single child starts a chain of its own.
    return { label, children: [collapseUnary(cur.children[0]!, true)] };
  }
  return { label, children: cur.children.map((c) => collapseUnary(c, true)) };
}

function leftBinarize(n: TreeNode): TreeNode {
  if (n.word !== undefined) return n;
  const children = n.children.map(leftBinarize);
  if (children.length <= 2) return { label: n.label, children };
  const parts = n.label.split(UNARY_JOIN);
  const intermediate = parts[parts.length - 1]! + INTERMEDIATE_SUFFIX;
  let acc: TreeNode = children[0]!;
  for (let i = 1; i < children.length - 1; i++)
    acc = { label: intermediate, children: [acc, children[i]!] };
  return { label: n.label, children: [acc, children[children.length - 1]!] };
}

export function isIntermediate(label: string): boolean {
  return label.endsWith(INTERMEDIATE_SUFFIX);
}

/** Inverse of `binarize`: splices `X|<>` nodes into their parents, expands `A+B` chains. */
export function debinarize(tree: TreeNode): TreeNode {
  const out = restore(tree);
  if (out.length !== 1) throw new RangeError('debinarize: the root itself is an intermediate node');
  return out[0]!;
}

function restore(n: TreeNode): TreeNode[] {
  if (n.word !== undefined) return [{ label: n.label, children: [], word: n.word }];
  const children = n.children.flatMap(restore);
  if (isIntermediate(n.label)) return children;
  const parts = n.label.split(UNARY_JOIN);
  let node: TreeNode = { label: parts[parts.length - 1]!, children };
  for (let k = parts.length - 2; k >= 0; k--) node = { label: parts[k]!, children: [node] };
  return [node];
}
