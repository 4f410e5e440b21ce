/** A scored argument candidate of one predicate; `end` is exclusive. */
export interface ScoredSpan {
  start: number;
  end: number;
  score: number;
}

/**
 * The set of pairwise non-overlapping spans with the largest total score (weighted interval
 * scheduling). best[t] is the best total using only words before t; a span [s, e) extends
 * best[s]. Spans with a score <= 0 never help and are ignored. O(words + spans log spans).
 * Returned in order of position.
 */
export function bestNonOverlapping<T extends ScoredSpan>(candidates: readonly T[]): T[] {
  const useful = candidates.filter((c) => c.score > 0 && c.end > c.start && c.start >= 0);
  if (useful.length === 0) return [];
  const length = Math.max(...useful.map((c) => c.end));
  const endingAt: T[][] = Array.from({ length: length + 1 }, () => []);
  for (const c of useful) (endingAt[c.end] as T[]).push(c);
  const best = new Float64Array(length + 1);
  // choice[t]: the span ending at t that best[t] takes, or undefined when t - 1 stays free.
  const choice: Array<T | undefined> = new Array(length + 1);
  for (let t = 1; t <= length; t++) {
    best[t] = best[t - 1] as number;
    for (const c of endingAt[t] as T[]) {
      const total = (best[c.start] as number) + c.score;
      if (total > (best[t] as number)) {
        best[t] = total;
        choice[t] = c;
      }
    }
  }
  const chosen: T[] = [];
  for (let t = length; t > 0;) {
    const c = choice[t];
    if (c) {
      chosen.push(c);
      t = c.start;
    } else {
      t -= 1;
    }
  }
  return chosen.reverse();
}
