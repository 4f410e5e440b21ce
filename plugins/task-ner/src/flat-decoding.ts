/**
 * Flat NER decoding (Yu et al. 2020, as He & Choi 2021 use it): every span whose best label is not null
 * is a candidate scored by that label's probability; candidates are taken in order of
 * descending score and a candidate is accepted unless it overlaps or nests inside (or around)
 * an accepted span. Runs on plain arrays, after the tensors are read back.
 */

/** One sentence's label probabilities, laid out [start][end][label] with `end` inclusive. */
export interface SpanScoreTable {
  values: ArrayLike<number>;
  /** Index of this sentence's first value in `values` (a sentence of a padded batch); default 0. */
  offset?: number;
  /** Positions per axis of the (padded) table; default `length`. */
  stride?: number;
  /** Words of the sentence: only spans inside it are read. */
  length: number;
  /** Labels per span, label 0 being null (no entity). */
  labelCount: number;
  /** Widest span considered; default: no limit. */
  maxWidth?: number;
}

export interface ScoredSpan {
  start: number;
  /** Exclusive, as every span of stem. */
  end: number;
  /** Index of the winning label (never 0, the null label). */
  label: number;
  /** Probability of the winning label. */
  score: number;
}

/** Non-null argmax spans, in table order (start, then end). */
export function candidateSpans(table: SpanScoreTable): ScoredSpan[] {
  const { values, length, labelCount } = table;
  const offset = table.offset ?? 0;
  const stride = table.stride ?? length;
  const maxWidth = table.maxWidth ?? length;
  const candidates: ScoredSpan[] = [];
  for (let start = 0; start < length; start++) {
    const lastEnd = Math.min(length, start + maxWidth) - 1;
    for (let end = start; end <= lastEnd; end++) {
      const base = offset + (start * stride + end) * labelCount;
      // The first maximum wins ties, as tf.argMax does.
      let best = 0;
      let bestScore = values[base] as number;
      for (let label = 1; label < labelCount; label++) {
        const score = values[base + label] as number;
        if (score > bestScore) {
          best = label;
          bestScore = score;
        }
      }
      if (best !== 0) candidates.push({ start, end: end + 1, label: best, score: bestScore });
    }
  }
  return candidates;
}

/** The accepted spans, sorted by start. Ties in score go to the earlier, then the shorter span. */
export function decodeFlatSpans(table: SpanScoreTable): ScoredSpan[] {
  const candidates = candidateSpans(table).sort(
    (a, b) => b.score - a.score || a.start - b.start || a.end - b.end,
  );
  // Accepted spans are disjoint, so a candidate clashes with one iff it covers a taken word.
  const taken = new Uint8Array(table.length);
  const accepted: ScoredSpan[] = [];
  for (const span of candidates) {
    let free = true;
    for (let i = span.start; i < span.end && free; i++) free = taken[i] === 0;
    if (!free) continue;
    taken.fill(1, span.start, span.end);
    accepted.push(span);
  }
  return accepted.sort((a, b) => a.start - b.start);
}
