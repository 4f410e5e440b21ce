/**
 * Labelled constituent spans as EVALB counts them (COLLINS.prm), and labelled-bracket F1.
 *
 * Rules:
 * - words whose POS is a deleted label (`'' : `` . ? ! , -NONE-`; also TOP, S1) are removed
 *   before numbering, so span indices count the remaining words only (as EVALB does);
 * - phrases labelled TOP or S1 (or ''), and phrases left with no word, give no span;
 * - ADVP and PRT are the same label (reported as ADVP);
 * - pre-terminals are not spans (a POS tag over a single word is not a bracket): this is
 *   what "spans over a single pre-terminal are not counted" means in the paper's rules; a
 *   phrase over one word (`(NP (PRP I))`) is a bracket, as in EVALB and the original code;
 * - spans are compared as multisets: a duplicated unary bracket counts twice.
 */
import type { LabeledSpan, TreeNode } from '@stem/core';

export const EVALB_DELETED_LABELS: ReadonlySet<string> = new Set([
  "''",
  ':',
  '``',
  '.',
  '?',
  '!',
  '-NONE-',
  'TOP',
  ',',
  'S1',
  '',
]);
export const EVALB_EQUAL_LABELS: Readonly<Record<string, string>> = { PRT: 'ADVP' };

export interface EvalbOptions {
  deleted?: ReadonlySet<string>;
  equal?: Readonly<Record<string, string>>;
}

export function evalbSpans(tree: TreeNode, options: EvalbOptions = {}): LabeledSpan[] {
  const deleted = options.deleted ?? EVALB_DELETED_LABELS;
  const equal = options.equal ?? EVALB_EQUAL_LABELS;
  const spans: LabeledSpan[] = [];
  const walk = (n: TreeNode, i: number): number => {
    if (n.word !== undefined) return deleted.has(n.label) ? i : i + 1;
    const slot = spans.length;
    spans.push({ start: i, end: i, label: '' });
    let j = i;
    for (const c of n.children) j = walk(c, j);
    if (deleted.has(n.label) || j === i) {
      spans.splice(slot, 1);
    } else {
      spans[slot] = { start: i, end: j, label: equal[n.label] ?? n.label };
    }
    return j;
  };
  walk(tree, 0);
  return spans;
}

export interface BracketScore {
  matched: number;
  gold: number;
  predicted: number;
  precision: number;
  recall: number;
  f1: number;
}

/** Micro-averaged labelled-bracket precision/recall/F1 over aligned gold and predicted trees. */
export function bracketF1(
  gold: readonly TreeNode[],
  predicted: readonly TreeNode[],
  options: EvalbOptions = {},
): BracketScore {
  if (gold.length !== predicted.length)
    throw new RangeError(`bracketF1: ${gold.length} gold trees vs ${predicted.length} predicted`);
  let matched = 0;
  let g = 0;
  let p = 0;
  for (let k = 0; k < gold.length; k++) {
    const counts = new Map<string, number>();
    const gs = evalbSpans(gold[k]!, options);
    for (const s of gs) {
      const key = `${s.start}:${s.end}:${s.label}`;
      counts.set(key, (counts.get(key) ?? 0) + 1);
    }
    const ps = evalbSpans(predicted[k]!, options);
    for (const s of ps) {
      const key = `${s.start}:${s.end}:${s.label}`;
      const c = counts.get(key) ?? 0;
      if (c > 0) {
        matched++;
        counts.set(key, c - 1);
      }
    }
    g += gs.length;
    p += ps.length;
  }
  const precision = p === 0 ? 0 : matched / p;
  const recall = g === 0 ? 0 : matched / g;
  const f1 = precision + recall === 0 ? 0 : (2 * precision * recall) / (precision + recall);
  return { matched, gold: g, predicted: p, precision, recall, f1 };
}
