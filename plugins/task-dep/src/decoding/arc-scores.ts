/**
 * Arc scores of one sentence as a dense square matrix over the nodes 0..n (0 = ROOT):
 * `scores[d * size + h]` is the score of word d taking h as its head, `size = n + 1`.
 * Row 0 (ROOT as a dependent) is never read. Decoders take log-probabilities, so the score
 * of a tree is the sum of its arcs' scores.
 */
export interface ArcScores {
  /** Number of words n (nodes are 0..n). */
  readonly words: number;
  readonly values: Float64Array;
}

export function arcScores(words: number, values: Float64Array | readonly number[]): ArcScores {
  const size = words + 1;
  if (values.length !== size * size)
    throw new Error(
      `arc scores: ${values.length} values for ${words} words, expected ${size * size}`,
    );
  return { words, values: values instanceof Float64Array ? values : Float64Array.from(values) };
}

/** Score of `heads` (1-based, 0 = ROOT, heads[d - 1] is the head of word d). */
export function treeScore(scores: ArcScores, heads: readonly number[]): number {
  const size = scores.words + 1;
  let total = 0;
  heads.forEach((h, i) => {
    total += scores.values[(i + 1) * size + h] as number;
  });
  return total;
}

/** Whether `heads` is a tree rooted at 0 with exactly one word attached to ROOT. */
export function isSingleRootedTree(heads: readonly number[]): boolean {
  const n = heads.length;
  let roots = 0;
  for (let d = 1; d <= n; d++) {
    const h = heads[d - 1] as number;
    if (!Number.isInteger(h) || h < 0 || h > n || h === d) return false;
    if (h === 0) roots++;
  }
  if (roots !== 1) return false;
  // Every word reaches ROOT within n steps when there is no cycle.
  for (let d = 1; d <= n; d++) {
    let node = d;
    for (let steps = 0; node !== 0; steps++) {
      if (steps > n) return false;
      node = heads[node - 1] as number;
    }
  }
  return true;
}

/**
 * Whether a tree is projective: for every arc, each word strictly between its ends is a
 * descendant of its head (the arc from ROOT counts too, ROOT dominating everything).
 * Assumes `heads` is a tree.
 */
export function isProjectiveTree(heads: readonly number[]): boolean {
  const n = heads.length;
  for (let d = 1; d <= n; d++) {
    const h = heads[d - 1] as number;
    if (h === 0) continue;
    const low = Math.min(d, h);
    const high = Math.max(d, h);
    for (let k = low + 1; k < high; k++) {
      let node = k;
      while (node !== 0 && node !== h) node = heads[node - 1] as number;
      if (node !== h) return false;
    }
  }
  return true;
}
