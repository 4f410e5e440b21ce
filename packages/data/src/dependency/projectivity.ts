/**
 * Dependency-tree checks over 1-based heads (0 = ROOT), as in `DependencyTree.heads`.
 * The paper's DEP head decodes with Eisner's projective algorithm at test time, so the
 * share of non-projective gold trees bounds what it can reach.
 */

/** Problems that keep `heads` from being a tree rooted at 0; empty when it is one. */
export function treeProblems(
  heads: readonly number[],
  options: { singleRoot?: boolean } = {},
): string[] {
  const n = heads.length;
  const problems: string[] = [];
  heads.forEach((h, i) => {
    if (!Number.isInteger(h) || h < 0 || h > n)
      problems.push(`word ${i + 1}: head ${h} out of range`);
    else if (h === i + 1) problems.push(`word ${i + 1} is its own head`);
  });
  if (problems.length > 0) return problems;
  const roots = heads.filter((h) => h === 0).length;
  if (roots === 0) problems.push('no word attaches to ROOT');
  if ((options.singleRoot ?? true) && roots > 1) problems.push(`${roots} words attach to ROOT`);
  for (let i = 1; i <= n; i++) {
    let h = i;
    for (let steps = 0; h !== 0; steps++) {
      if (steps > n) {
        problems.push(`word ${i} is on a cycle`);
        break;
      }
      h = heads[h - 1]!;
    }
  }
  return problems;
}

/** Arcs (dependent, head), 1-based, that cross another arc or the ROOT arc. */
export function nonProjectiveArcs(heads: readonly number[]): [number, number][] {
  const out: [number, number][] = [];
  const arcs = heads.map((h, i) => [i + 1, h] as [number, number]);
  for (const [d, h] of arcs) {
    const lo = Math.min(d, h);
    const hi = Math.max(d, h);
    // An arc is projective when its head dominates every word strictly between its ends.
    for (let k = lo + 1; k < hi; k++) {
      if (!dominates(heads, h, k)) {
        out.push([d, h]);
        break;
      }
    }
  }
  return out;
}

function dominates(heads: readonly number[], ancestor: number, node: number): boolean {
  if (ancestor === 0) return true;
  let h = node;
  for (let steps = 0; steps <= heads.length && h !== 0; steps++) {
    if (h === ancestor) return true;
    h = heads[h - 1]!;
  }
  return false;
}

export function isProjective(heads: readonly number[]): boolean {
  return nonProjectiveArcs(heads).length === 0;
}
