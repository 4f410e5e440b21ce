import type { LabeledSpan, TreeNode } from '@stem/core';

/**
 * Phrases whose children are all pre-terminals (the CON probe's units), as word spans
 * [start, end) with function tags stripped (NP-SBJ -> NP). Pre-terminals count as words in
 * order, so the spans index the sentence's words when the tree has no empty elements.
 */
export function lowestPhrases(tree: TreeNode): { spans: LabeledSpan[]; words: number } {
  const spans: LabeledSpan[] = [];
  const walk = (node: TreeNode, start: number): number => {
    if (node.word !== undefined) return start + 1;
    let end = start;
    for (const child of node.children) end = walk(child, end);
    const lowest =
      node.children.length > 0 && node.children.every((child) => child.word !== undefined);
    if (lowest) spans.push({ start, end, label: phraseLabel(node.label) });
    return end;
  };
  const words = walk(tree, 0);
  return { spans, words };
}

/** NP-SBJ-1 -> NP, S=2 -> S; labels starting with '-' (-NONE-, -LRB-) are kept whole. */
export function phraseLabel(label: string): string {
  if (label.startsWith('-')) return label;
  return label.split(/[-=]/)[0] as string;
}
