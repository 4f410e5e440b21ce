/** The draws a permutation test needs (core's `SeededRandom` provides them). */
export interface IntegerDraws {
  /** A uniform integer in [0, maxExclusive). */
  int(maxExclusive: number): number;
}

/** Mean of a per-head value inside a head set against outside it, with its permutation test. */
export interface HeadSetTest {
  inside: { heads: number; mean: number };
  outside: { heads: number; mean: number };
  /** inside.mean - outside.mean. */
  difference: number;
  /**
   * Two-sided: (1 + draws with |difference| >= the observed |difference|) / (1 + draws), each
   * draw a random head set of the same size.
   */
  p: number;
  /** 2.5% and 97.5% quantiles of the drawn differences: the null's 95% interval. */
  nullInterval: [number, number];
  draws: number;
}

/**
 * Whether the heads of a set differ from the rest in a per-head value (e.g. mean gradient
 * conflict on the stem cells): the observed difference of means against `draws` random sets of
 * the same size. Heads whose value is not finite are left out on both sides. A `string` says
 * why there is no test (a side without heads, or maps of different shapes).
 */
export function headSetTest(
  values: ReadonlyArray<ReadonlyArray<number>>,
  inSet: ReadonlyArray<ReadonlyArray<boolean>>,
  options: { draws: number; random: IntegerDraws },
): HeadSetTest | string {
  if (values.length !== inSet.length || values.some((row, l) => row.length !== inSet[l]?.length))
    return `the head set is ${inSet.length} x ${inSet[0]?.length ?? 0} heads, the values ${values.length} x ${values[0]?.length ?? 0}`;
  const cells = values
    .flatMap((row, l) => row.map((value, h) => ({ value, inside: inSet[l]![h]! })))
    .filter((cell) => Number.isFinite(cell.value));
  const size = cells.filter((c) => c.inside).length;
  if (size === 0 || size === cells.length)
    return `${size} of ${cells.length} measured heads are in the set: the test needs heads on both sides`;
  const total = cells.reduce((s, c) => s + c.value, 0);
  const differenceOf = (insideSum: number) =>
    insideSum / size - (total - insideSum) / (cells.length - size);
  const insideSum = cells.filter((c) => c.inside).reduce((s, c) => s + c.value, 0);
  const difference = differenceOf(insideSum);
  const pool = cells.map((c) => c.value);
  const drawn: number[] = [];
  for (let d = 0; d < options.draws; d++) {
    // The first `size` places of a partial shuffle are a uniformly drawn set of that size.
    let sum = 0;
    for (let i = 0; i < size; i++) {
      const j = i + options.random.int(pool.length - i);
      [pool[i], pool[j]] = [pool[j]!, pool[i]!];
      sum += pool[i]!;
    }
    drawn.push(differenceOf(sum));
  }
  // Rounding must not make the observed split itself less extreme than its own draws.
  const extreme = drawn.filter((x) => Math.abs(x) >= Math.abs(difference) - 1e-12).length;
  const sorted = drawn.sort((a, b) => a - b);
  return {
    inside: { heads: size, mean: insideSum / size },
    outside: { heads: cells.length - size, mean: (total - insideSum) / (cells.length - size) },
    difference,
    p: (1 + extreme) / (1 + options.draws),
    nullInterval: [quantile(sorted, 0.025), quantile(sorted, 0.975)],
    draws: options.draws,
  };
}

/** Linear-interpolation quantile of sorted values. */
function quantile(sorted: readonly number[], q: number): number {
  if (sorted.length === 0) return NaN;
  const position = q * (sorted.length - 1);
  const low = sorted[Math.floor(position)]!;
  return low + (sorted[Math.ceil(position)]! - low) * (position - Math.floor(position));
}
