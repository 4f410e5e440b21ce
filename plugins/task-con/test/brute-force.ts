import type { Span } from '../src/span-chart.js';

/** Every full binary bracketing of words [start, end), each as its list of spans. */
export function allBracketings(start: number, end: number): Span[][] {
  if (end - start === 1) return [[{ start, end }]];
  const out: Span[][] = [];
  for (let k = start + 1; k < end; k++)
    for (const left of allBracketings(start, k))
      for (const right of allBracketings(k, end)) out.push([{ start, end }, ...left, ...right]);
  return out;
}

/** A random (n + 1) x (n + 1) chart from a seeded linear congruential stream. */
export function randomChart(n: number, seed: number, scale = 2): Float64Array {
  let state = seed >>> 0;
  const next = () => {
    state = (Math.imul(state, 1664525) + 1013904223) >>> 0;
    return state / 2 ** 32;
  };
  return Float64Array.from({ length: (n + 1) * (n + 1) }, () => (next() * 2 - 1) * scale);
}

export function treeScore(chart: ArrayLike<number>, n: number, spans: readonly Span[]): number {
  return spans.reduce((sum, s) => sum + (chart[s.start * (n + 1) + s.end] as number), 0);
}
