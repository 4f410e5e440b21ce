/** The draws a permutation test needs (core's `SeededRandom` provides it). */
export interface PermutationRandom {
  /** A uniform integer in [0, maxExclusive). */
  int(maxExclusive: number): number;
}

export interface HeadSetComparison {
  inside: { heads: number; mean: number };
  outside: { heads: number; mean: number };
  /** inside.mean - outside.mean: positive when the set's heads conflict more. */
  difference: number;
  /**
   * Two-sided permutation p-value: (1 + permuted |difference| >= observed |difference|) /
   * (1 + permutations), relabelling which heads are in the set, set size fixed.
   */
  pValue: number;
  /** 2.5% and 97.5% quantiles of the permuted differences: the null's 95% interval. */
  nullInterval95: [number, number];
  permutations: number;
}

/**
 * Mean per-head conflict inside a head set (e.g. the stem cells, or heads kept by at least k
 * tasks) against outside it, with a permutation test: the set's size is kept and which heads
 * form it is drawn at random `permutations` times from `random`. Heads whose value is NaN (no
 * measurable gradient) are left out on both sides.
 */
export function compareHeadSet(
  values: readonly (readonly number[])[],
  inSet: readonly (readonly boolean[])[],
  options: { permutations: number; random: PermutationRandom },
): HeadSetComparison {
  if (values.length !== inSet.length || values.some((row, l) => row.length !== inSet[l]?.length))
    throw new Error(
      `the head set is [${inSet.length} x ${inSet[0]?.length ?? 0}] heads, the conflict map [${values.length} x ${values[0]?.length ?? 0}]: they must come from the same encoder`,
    );
  const cells = values
    .flatMap((row, l) => row.map((value, h) => ({ value, inside: inSet[l]?.[h] === true })))
    .filter((cell) => !Number.isNaN(cell.value));
  const insideCount = cells.filter((c) => c.inside).length;
  if (insideCount === 0 || insideCount === cells.length)
    throw new Error(
      `the head set holds ${insideCount} of ${cells.length} measured heads: a comparison needs heads on both sides`,
    );
  const all = cells.map((c) => c.value);
  const total = all.reduce((s, v) => s + v, 0);
  const differenceOf = (insideSum: number) =>
    insideSum / insideCount - (total - insideSum) / (all.length - insideCount);
  const observedInside = cells.filter((c) => c.inside).reduce((s, c) => s + c.value, 0);
  const difference = differenceOf(observedInside);
  const permuted: number[] = [];
  const pool = [...all];
  for (let p = 0; p < options.permutations; p++) {
    // Partial Fisher-Yates: the first insideCount entries are a uniform random set.
    let sum = 0;
    for (let i = 0; i < insideCount; i++) {
      const j = i + options.random.int(pool.length - i);
      [pool[i], pool[j]] = [pool[j] as number, pool[i] as number];
      sum += pool[i] as number;
    }
    permuted.push(differenceOf(sum));
  }
  // A tiny tolerance so that permutations equal to the observed split count as extreme.
  const extreme = permuted.filter((d) => Math.abs(d) >= Math.abs(difference) - 1e-12).length;
  const sorted = [...permuted].sort((a, b) => a - b);
  return {
    inside: { heads: insideCount, mean: observedInside / insideCount },
    outside: {
      heads: all.length - insideCount,
      mean: (total - observedInside) / (all.length - insideCount),
    },
    difference,
    pValue: (1 + extreme) / (1 + options.permutations),
    nullInterval95: [quantile(sorted, 0.025), quantile(sorted, 0.975)],
    permutations: options.permutations,
  };
}

/** Linear-interpolation quantile of sorted values (NaN when there are none). */
function quantile(sorted: readonly number[], q: number): number {
  if (sorted.length === 0) return NaN;
  const position = q * (sorted.length - 1);
  const low = Math.floor(position);
  const high = Math.ceil(position);
  const a = sorted[low] as number;
  return a + ((sorted[high] as number) - a) * (position - low);
}
