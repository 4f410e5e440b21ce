/**
 * Edit distance with adjacent transpositions (optimal string alignment): `limt` is one edit
 * from `limit`, `ecnoder` one from `encoder`.
 */
export function editDistance(a: string, b: string): number {
  const rows = a.length + 1;
  const columns = b.length + 1;
  const distance: number[][] = Array.from({ length: rows }, (_, i) =>
    Array.from({ length: columns }, (_, j) => (i === 0 ? j : j === 0 ? i : 0)),
  );
  for (let i = 1; i < rows; i++) {
    for (let j = 1; j < columns; j++) {
      const substitution = a[i - 1] === b[j - 1] ? 0 : 1;
      let best = Math.min(
        distance[i - 1]![j]! + 1,
        distance[i]![j - 1]! + 1,
        distance[i - 1]![j - 1]! + substitution,
      );
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1])
        best = Math.min(best, distance[i - 2]![j - 2]! + 1);
      distance[i]![j] = best;
    }
  }
  return distance[a.length]![b.length]!;
}

/**
 * The known key a misspelt one most likely meant: the nearest by edit distance (case
 * ignored), if it is close enough to be a typo (at most a third of the key's length, and 2).
 */
export function closestKey(key: string, known: readonly string[]): string | undefined {
  const limit = Math.min(2, Math.max(1, Math.floor(key.length / 3)));
  let best: string | undefined;
  let bestDistance = Infinity;
  for (const candidate of known) {
    const distance = editDistance(key.toLowerCase(), candidate.toLowerCase());
    if (distance < bestDistance) {
      best = candidate;
      bestDistance = distance;
    }
  }
  return bestDistance <= limit ? best : undefined;
}
