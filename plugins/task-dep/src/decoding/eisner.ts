import type { ArcScores } from './arc-scores.js';

// Which chart an item lives in: complete / incomplete spans whose head is at the left (right
// arcs) or at the right end (left arcs).
const COMPLETE_LEFT_HEAD = 0;
const COMPLETE_RIGHT_HEAD = 1;
const INCOMPLETE_LEFT_HEAD = 2;
const INCOMPLETE_RIGHT_HEAD = 3;

/**
 * Eisner's first-order projective decoder (Eisner 1996) with exactly one word attached to
 * ROOT: the highest-scoring projective tree in O(n^3) time over flat typed-array charts.
 *
 * Node 0 is ROOT at the left edge. ROOT never takes a left arc, and its right incomplete
 * span is built only from its empty complete span, so ROOT gets exactly one child, whose
 * complete span then has to reach the last word.
 */
export function eisnerHeads(scores: ArcScores): number[] {
  const n = scores.words;
  if (n === 0) return [];
  const size = n + 1;
  const arc = scores.values;
  const cells = size * size;
  // [s * size + t] for the span s..t; spans with s === t stay 0 (an empty complete span).
  const completeHeadLeft = new Float64Array(cells);
  const completeHeadRight = new Float64Array(cells);
  const incompleteHeadLeft = new Float64Array(cells);
  const incompleteHeadRight = new Float64Array(cells);
  const splitCompleteHeadLeft = new Int32Array(cells);
  const splitCompleteHeadRight = new Int32Array(cells);
  const splitIncomplete = new Int32Array(cells);

  for (let width = 1; width <= n; width++) {
    for (let s = 0; s + width <= n; s++) {
      const t = s + width;
      const cell = s * size + t;
      // Incomplete spans: s and t joined by an arc over complete halves s..r and r+1..t.
      let bestSplit = s;
      let best = -Infinity;
      const lastSplit = s === 0 ? 0 : t - 1; // ROOT's one child: nothing else left of it
      for (let r = s; r <= lastSplit; r++) {
        const value = completeHeadLeft[s * size + r]! + completeHeadRight[(r + 1) * size + t]!;
        if (value > best) {
          best = value;
          bestSplit = r;
        }
      }
      splitIncomplete[cell] = bestSplit;
      incompleteHeadLeft[cell] = best + arc[t * size + s]!; // s heads t
      incompleteHeadRight[cell] = s === 0 ? -Infinity : best + arc[s * size + t]!; // t heads s

      // Complete span headed by t: t's left dependent r with its complete left part.
      if (s === 0) {
        completeHeadRight[cell] = -Infinity; // ROOT cannot be a dependent
      } else {
        let value = -Infinity;
        let split = s;
        for (let r = s; r < t; r++) {
          const candidate = completeHeadRight[s * size + r]! + incompleteHeadRight[r * size + t]!;
          if (candidate > value) {
            value = candidate;
            split = r;
          }
        }
        completeHeadRight[cell] = value;
        splitCompleteHeadRight[cell] = split;
      }
      // Complete span headed by s: s's right dependent r with r's complete right part.
      let value = -Infinity;
      let split = t;
      for (let r = s + 1; r <= t; r++) {
        const candidate = incompleteHeadLeft[s * size + r]! + completeHeadLeft[r * size + t]!;
        if (candidate > value) {
          value = candidate;
          split = r;
        }
      }
      completeHeadLeft[cell] = value;
      splitCompleteHeadLeft[cell] = split;
    }
  }

  const heads = new Array<number>(n).fill(-1);
  // Back-pointers, walked with an explicit stack of (chart, s, t) triples.
  const stack: number[] = [COMPLETE_LEFT_HEAD, 0, n];
  while (stack.length > 0) {
    const t = stack.pop()!;
    const s = stack.pop()!;
    const chart = stack.pop()!;
    if (s === t) continue;
    const cell = s * size + t;
    if (chart === COMPLETE_LEFT_HEAD) {
      const r = splitCompleteHeadLeft[cell]!;
      stack.push(INCOMPLETE_LEFT_HEAD, s, r, COMPLETE_LEFT_HEAD, r, t);
    } else if (chart === COMPLETE_RIGHT_HEAD) {
      const r = splitCompleteHeadRight[cell]!;
      stack.push(COMPLETE_RIGHT_HEAD, s, r, INCOMPLETE_RIGHT_HEAD, r, t);
    } else {
      const r = splitIncomplete[cell]!;
      if (chart === INCOMPLETE_LEFT_HEAD) heads[t - 1] = s;
      else heads[s - 1] = t;
      stack.push(COMPLETE_LEFT_HEAD, s, r, COMPLETE_RIGHT_HEAD, r + 1, t);
    }
  }
  return heads;
}
