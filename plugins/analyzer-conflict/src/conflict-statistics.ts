/** The agreement of the tasks' gradients on one head (all arrays in task order). */
export interface HeadAgreement {
  /** L2 norm of each task's gradient slice. */
  norms: number[];
  /** Cosine of each task pair `[i][j]` (i < j, row-major over `taskPairs`); null when a slice is zero. */
  cosines: Array<number | null>;
  /**
   * Fraction of tasks whose slice points against the task-summed gradient (g_t . sum g < 0):
   * 0 when every task pulls the head the way the sum goes.
   */
  conflict: number;
  /** Each task's share of the summed slice norms (sums to 1; all 0 when every slice is 0). */
  shares: number[];
}

/** The task pairs (i < j) in the order `HeadAgreement.cosines` lists them. */
export function taskPairs(taskCount: number): Array<[number, number]> {
  const pairs: Array<[number, number]> = [];
  for (let i = 0; i < taskCount; i++) for (let j = i + 1; j < taskCount; j++) pairs.push([i, j]);
  return pairs;
}

export function dot(a: ArrayLike<number>, b: ArrayLike<number>): number {
  if (a.length !== b.length)
    throw new Error(`gradient slices differ in length (${a.length} vs ${b.length})`);
  let sum = 0;
  for (let i = 0; i < a.length; i++) sum += (a[i] as number) * (b[i] as number);
  return sum;
}

/** Cosine similarity, or null when either vector is zero (no direction to compare). */
export function cosine(a: ArrayLike<number>, b: ArrayLike<number>): number | null {
  const norms = Math.sqrt(dot(a, a)) * Math.sqrt(dot(b, b));
  return norms === 0 ? null : dot(a, b) / norms;
}

/** Agreement statistics of the tasks' gradient slices on one head. */
export function headAgreement(slices: ReadonlyArray<ArrayLike<number>>): HeadAgreement {
  const gram = slices.map((a) => slices.map((b) => dot(a, b)));
  const norms = slices.map((_, t) => Math.sqrt(gram[t]?.[t] as number));
  const cosines = taskPairs(slices.length).map(([i, j]) => {
    const product = (norms[i] as number) * (norms[j] as number);
    return product === 0 ? null : (gram[i]?.[j] as number) / product;
  });
  // g_t . sum_u g_u = sum_u (g_t . g_u): a row sum of the Gram matrix.
  const againstSum = gram.filter((row) => row.reduce((s, v) => s + v, 0) < 0).length;
  const total = norms.reduce((s, n) => s + n, 0);
  return {
    norms,
    cosines,
    conflict: slices.length === 0 ? 0 : againstSum / slices.length,
    shares: norms.map((n) => (total === 0 ? 0 : n / total)),
  };
}
