/**
 * Plain helpers over constituency trees (`TreeNode` from @stem/core): a pre-terminal
 * carries `word` and its POS as `label`; every other node is a phrase with children.
 */
import type { TreeNode } from '@stem/core';

export function isPreterminal(node: TreeNode): boolean {
  return node.word !== undefined;
}

/** Pre-terminals left to right. */
export function preterminals(tree: TreeNode): TreeNode[] {
  const out: TreeNode[] = [];
  const walk = (n: TreeNode): void => {
    if (isPreterminal(n)) out.push(n);
    else for (const c of n.children) walk(c);
  };
  walk(tree);
  return out;
}

export function treeWords(tree: TreeNode): string[] {
  return preterminals(tree).map((p) => p.word!);
}

export function treeTags(tree: TreeNode): string[] {
  return preterminals(tree).map((p) => p.label);
}

export function cloneTree(tree: TreeNode): TreeNode {
  return tree.word !== undefined
    ? { label: tree.label, children: [], word: tree.word }
    : { label: tree.label, children: tree.children.map(cloneTree) };
}

export function treesEqual(a: TreeNode, b: TreeNode): boolean {
  if (a.label !== b.label || a.word !== b.word || a.children.length !== b.children.length)
    return false;
  return a.children.every((c, i) => treesEqual(c, b.children[i]!));
}

/** Replaces the words of the pre-terminals in order (e.g. to fill `[WORD]` placeholders). */
export function withWords(tree: TreeNode, words: readonly string[]): TreeNode {
  let k = 0;
  const walk = (n: TreeNode): TreeNode => {
    if (n.word !== undefined) {
      const word = words[k++];
      if (word === undefined)
        throw new RangeError(`withWords: tree has more than ${words.length} words`);
      return { label: n.label, children: [], word };
    }
    return { label: n.label, children: n.children.map(walk) };
  };
  const out = walk(tree);
  if (k !== words.length)
    throw new RangeError(`withWords: tree has ${k} words, ${words.length} given`);
  return out;
}

/**
 * Strips function tags and co-indices from a phrase or tag label: `NP-SBJ-1` → `NP`,
 * `PP-LOC=2` → `PP`. Labels that start with `-` (`-NONE-`, `-LRB-`) are kept whole.
 */
export function stripFunctionTags(label: string): string {
  if (label.startsWith('-')) return label;
  const cut = label.search(/[-=]/);
  return cut > 0 ? label.slice(0, cut) : label;
}

/**
 * Normalises a treebank tree the way parsers train on it: function tags stripped from
 * phrase labels, `-NONE-` empty elements removed together with the phrases left empty.
 * Returns null when nothing but empty elements remains.
 */
export function normalizeTree(
  tree: TreeNode,
  options: { stripTags?: boolean; removeEmpty?: boolean } = {},
): TreeNode | null {
  const strip = options.stripTags ?? true;
  const removeEmpty = options.removeEmpty ?? true;
  const walk = (n: TreeNode): TreeNode | null => {
    if (n.word !== undefined) {
      if (removeEmpty && n.label === '-NONE-') return null;
      return { label: n.label, children: [], word: n.word };
    }
    const children: TreeNode[] = [];
    for (const c of n.children) {
      const k = walk(c);
      if (k) children.push(k);
    }
    if (removeEmpty && children.length === 0) return null;
    return { label: strip ? stripFunctionTags(n.label) : n.label, children };
  };
  return walk(tree);
}

/** Bracketed one-line string: `(TOP (S (NP (PRP I)) (VP (VBP run))))`. */
export function treeToString(tree: TreeNode): string {
  if (tree.word !== undefined) return `(${tree.label} ${tree.word})`;
  return `(${tree.label} ${tree.children.map(treeToString).join(' ')})`;
}

/** Phrasal nodes with their half-open word spans, pre-order (pre-terminals excluded). */
export function phraseSpans(
  tree: TreeNode,
): { start: number; end: number; label: string; node: TreeNode }[] {
  const out: { start: number; end: number; label: string; node: TreeNode }[] = [];
  const walk = (n: TreeNode, i: number): number => {
    if (n.word !== undefined) return i + 1;
    const slot = out.length;
    out.push({ start: i, end: i, label: n.label, node: n });
    let j = i;
    for (const c of n.children) j = walk(c, j);
    out[slot]!.end = j;
    return j;
  };
  walk(tree, 0);
  return out;
}
