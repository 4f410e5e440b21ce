/** A candidate argument span; `end` is exclusive. */
export interface CandidateSpan {
  start: number;
  end: number;
}

/** Every span of at most `maxWidth` words inside a sentence of `words` words, by width then start. */
export function candidateSpans(words: number, maxWidth: number): CandidateSpan[] {
  const spans: CandidateSpan[] = [];
  for (let width = 1; width <= Math.min(maxWidth, words); width++)
    for (let start = 0; start + width <= words; start++) spans.push({ start, end: start + width });
  return spans;
}

/** How many of `available` items a ratio keeps for a sentence of `words` words: floor(ratio n), at least 1. */
export function keptCount(ratio: number, words: number, available: number): number {
  if (words === 0 || available === 0) return 0;
  return Math.min(available, Math.max(1, Math.floor(ratio * words)));
}

/** Indices of the `count` highest scores; ties go to the lower index, so the choice is deterministic. */
export function topIndices(scores: readonly number[], count: number): number[] {
  return scores
    .map((_, i) => i)
    .sort((a, b) => (scores[b] as number) - (scores[a] as number) || a - b)
    .slice(0, count);
}
