/**
 * The CoNLL-2012 "parse bit" column: each token's share of the bracketed tree with the
 * pre-terminal replaced by `*` (`(TOP(S(NP*)`, `*`, `*))`). POS and word come from their
 * own columns.
 */
import type { TreeNode } from '@stem/core';
import { DataFormatError } from '../errors.js';
import type { CellOrigin } from '../srl/frames.js';

const BIT = /^((?:\([^()*\s]+)*)\*(\)*)$/;

export function treeFromParseBits(
  bits: readonly string[],
  tags: readonly string[],
  words: readonly string[],
  origin: CellOrigin,
): TreeNode {
  const stack: TreeNode[] = [];
  let root: TreeNode | undefined;
  bits.forEach((bit, i) => {
    const line = origin.lines[i] ?? 0;
    const m = BIT.exec(bit);
    if (!m) throw new DataFormatError(origin.file, line, `bad parse bit ${JSON.stringify(bit)}`);
    const opens = m[1]!.split('(').slice(1);
    for (const label of opens) {
      if (root && stack.length === 0)
        throw new DataFormatError(origin.file, line, 'parse bits hold more than one tree');
      const node: TreeNode = { label, children: [] };
      if (stack.length > 0) stack[stack.length - 1]!.children.push(node);
      else root = node;
      stack.push(node);
    }
    if (stack.length === 0)
      throw new DataFormatError(origin.file, line, 'token outside any bracket of the parse');
    stack[stack.length - 1]!.children.push({ label: tags[i]!, children: [], word: words[i]! });
    for (let c = 0; c < m[2]!.length; c++) {
      if (stack.length === 0)
        throw new DataFormatError(origin.file, line, '")" in the parse bit closes nothing');
      stack.pop();
    }
  });
  if (!root) throw new DataFormatError(origin.file, origin.lines[0] ?? 0, 'empty parse');
  if (stack.length > 0) {
    throw new DataFormatError(
      origin.file,
      origin.lines[origin.lines.length - 1] ?? 0,
      `parse leaves ${stack.length} bracket(s) open at the end of the sentence`,
    );
  }
  return root;
}

/** Inverse of `treeFromParseBits`: one bit per pre-terminal. */
export function treeToParseBits(tree: TreeNode): string[] {
  const bits: string[] = [];
  let pending = '';
  const walk = (n: TreeNode): void => {
    if (n.word !== undefined) {
      bits.push(`${pending}*`);
      pending = '';
      return;
    }
    if (n.children.length === 0)
      throw new RangeError(`treeToParseBits: phrase ${n.label} has no children`);
    pending += `(${n.label}`;
    n.children.forEach(walk);
    bits[bits.length - 1] += ')';
  };
  if (tree.word !== undefined) throw new RangeError('treeToParseBits: the root must be a phrase');
  walk(tree);
  return bits;
}
