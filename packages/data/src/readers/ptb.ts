/**
 * Penn Treebank bracketed trees: `(TOP (S (NP (PRP I)) (VP (VBP run))))`, any number per
 * file, across any number of lines. The outer bracket may have no label (`( (S ...))`,
 * as in the .mrg files): the root then gets the label ''.
 */
import type { TreeNode } from '@stem/core';
import { DataFormatError } from '../errors.js';
import { treeToString } from '../trees/tree.js';

export interface PtbTree {
  tree: TreeNode;
  /** Line where the tree's opening bracket is. */
  line: number;
}

interface Token {
  kind: '(' | ')' | 'atom';
  text: string;
  line: number;
}

function tokenize(text: string): Token[] {
  const out: Token[] = [];
  let line = 1;
  let i = 0;
  while (i < text.length) {
    const ch = text[i]!;
    if (ch === '\n') {
      line++;
      i++;
    } else if (ch === ' ' || ch === '\t' || ch === '\r') {
      i++;
    } else if (ch === '(' || ch === ')') {
      out.push({ kind: ch, text: ch, line });
      i++;
    } else {
      let j = i;
      while (j < text.length && !' \t\r\n()'.includes(text[j]!)) j++;
      out.push({ kind: 'atom', text: text.slice(i, j), line });
      i = j;
    }
  }
  return out;
}

const MAX_DEPTH = 1000;

/** Parses every tree in `text`. `file` only labels error messages. */
export function parsePtb(text: string, file = '<ptb>'): PtbTree[] {
  const tokens = tokenize(text);
  const trees: PtbTree[] = [];
  let p = 0;

  const parseNode = (depth: number): TreeNode => {
    const open = tokens[p]!;
    // Real trees are a few dozen levels deep; a cap keeps broken input from overflowing the stack.
    if (depth > MAX_DEPTH)
      throw new DataFormatError(file, open.line, `brackets nested deeper than ${MAX_DEPTH} levels`);
    p++; // '('
    let label = '';
    if (tokens[p]?.kind === 'atom') label = tokens[p++]!.text;
    const children: TreeNode[] = [];
    let word: string | undefined;
    for (;;) {
      const t = tokens[p];
      if (!t) throw new DataFormatError(file, open.line, `bracket opened here is never closed`);
      if (t.kind === ')') {
        p++;
        break;
      }
      if (t.kind === 'atom') {
        if (word !== undefined || children.length > 0) {
          throw new DataFormatError(
            file,
            t.line,
            `unexpected ${JSON.stringify(t.text)} in (${label} ...): a node holds either one word or sub-trees`,
          );
        }
        word = t.text;
        p++;
        continue;
      }
      if (word !== undefined)
        throw new DataFormatError(
          file,
          t.line,
          `pre-terminal (${label} ${word}) has a sub-tree after its word`,
        );
      children.push(parseNode(depth + 1));
    }
    if (word !== undefined) {
      if (label === '')
        throw new DataFormatError(file, open.line, `word ${JSON.stringify(word)} has no POS label`);
      return { label, children: [], word };
    }
    if (children.length === 0)
      throw new DataFormatError(file, open.line, `empty bracket (${label})`);
    return { label, children };
  };

  while (p < tokens.length) {
    const t = tokens[p]!;
    if (t.kind !== '(')
      throw new DataFormatError(
        file,
        t.line,
        `expected "(" to start a tree, found ${JSON.stringify(t.text)}`,
      );
    const line = t.line;
    const tree = parseNode(0);
    if (tree.word !== undefined)
      throw new DataFormatError(file, line, 'a tree must be a phrase, not a lone pre-terminal');
    trees.push({ tree, line });
  }
  return trees;
}

/**
 * One tree per line. Throws a RangeError for a label or word that the bracketed format
 * cannot carry (whitespace or brackets): write `-LRB-` style tokens instead.
 */
export function writePtb(trees: readonly TreeNode[]): string {
  const check = (n: TreeNode): void => {
    for (const s of n.word !== undefined ? [n.label, n.word] : [n.label]) {
      if (/[\s()]/.test(s))
        throw new RangeError(`writePtb: ${JSON.stringify(s)} contains whitespace or a bracket`);
    }
    if (n.word === '' || (n.word !== undefined && n.label === ''))
      throw new RangeError('writePtb: a pre-terminal needs a label and a non-empty word');
    if (n.word === undefined && n.children.length === 0)
      throw new RangeError('writePtb: a phrase needs children');
    if (n.word === undefined && n.label === '' && n !== root)
      throw new RangeError('writePtb: only the root may have an empty label');
    n.children.forEach(check);
  };
  let root: TreeNode | undefined;
  return trees
    .map((t) => {
      root = t;
      check(t);
      return treeToString(t) + '\n';
    })
    .join('');
}
