import type { ArcScores } from './arc-scores.js';

/**
 * The highest-scoring tree, projective or not, with exactly one word attached to ROOT
 * (Chu & Liu 1965, Edmonds 1967).
 *
 * The single-root constraint costs one extra run at most: when the unconstrained maximum
 * spanning arborescence gives ROOT several children, every ROOT arc is lowered by a penalty
 * larger than the spread of any two trees' scores. Every tree has at least one ROOT child,
 * so the best penalised tree has exactly one, and among those the penalty is the same
 * constant: it is the best single-rooted tree under the original scores.
 */
export function chuLiuEdmondsHeads(scores: ArcScores): number[] {
  const n = scores.words;
  if (n === 0) return [];
  const size = n + 1;
  const free = maximumArborescence(scores.values, size);
  if (free.filter((h) => h === 0).length === 1) return free.slice(1);

  let low = Infinity;
  let high = -Infinity;
  for (let d = 1; d <= n; d++) {
    for (let h = 0; h <= n; h++) {
      const value = scores.values[d * size + h]!;
      if (h === d || !Number.isFinite(value)) continue;
      low = Math.min(low, value);
      high = Math.max(high, value);
    }
  }
  const penalty = n * (high - low) + 1;
  const penalised = new Float64Array(scores.values);
  for (let d = 1; d <= n; d++) penalised[d * size] = scores.values[d * size]! - penalty;
  return maximumArborescence(penalised, size).slice(1);
}

/**
 * Maximum spanning arborescence rooted at node 0 of a dense graph (`weights[d * size + h]`
 * is the arc h -> d), by repeated cycle contraction. Returns heads by node (entry 0 unused).
 * Arcs of -Infinity are absent; the graph must keep a spanning arborescence.
 */
function maximumArborescence(weights: Float64Array, size: number): number[] {
  // Best incoming arc of every node but the root.
  const heads = new Array<number>(size).fill(-1);
  for (let d = 1; d < size; d++) {
    let best = -1;
    let bestWeight = -Infinity;
    for (let h = 0; h < size; h++) {
      if (h === d) continue;
      const w = weights[d * size + h]!;
      if (best < 0 || w > bestWeight) {
        best = h;
        bestWeight = w;
      }
    }
    heads[d] = best;
  }
  const cycle = findCycle(heads, size);
  if (!cycle) return heads;

  // Contract the cycle into one node: the other nodes keep their order, the cycle comes last.
  const inCycle = new Uint8Array(size);
  for (const node of cycle) inCycle[node] = 1;
  const outside: number[] = [];
  for (let v = 0; v < size; v++) if (!inCycle[v]) outside.push(v);
  const contractedSize = outside.length + 1;
  const cycleNode = outside.length;
  const contracted = new Float64Array(contractedSize * contractedSize).fill(-Infinity);
  // Which original endpoint realises each contracted arc into / out of the cycle.
  const enteringAt = new Int32Array(contractedSize).fill(-1);
  const leavingFrom = new Int32Array(contractedSize).fill(-1);
  let cycleWeight = 0;
  for (const node of cycle) cycleWeight += weights[node * size + heads[node]!]!;

  outside.forEach((d, i) => {
    outside.forEach((h, j) => {
      if (i !== j) contracted[i * contractedSize + j] = weights[d * size + h]!;
    });
    if (d === 0) return;
    // Arc from the cycle to an outside node: its best source inside the cycle.
    let best = -Infinity;
    for (const u of cycle) {
      const w = weights[d * size + u]!;
      if (w > best) {
        best = w;
        leavingFrom[i] = u;
      }
    }
    contracted[i * contractedSize + cycleNode] = best;
  });
  outside.forEach((h, j) => {
    // Arc into the cycle: entering at u replaces u's cycle arc.
    let best = -Infinity;
    for (const u of cycle) {
      const w = weights[u * size + h]! - weights[u * size + heads[u]!]! + cycleWeight;
      if (w > best) {
        best = w;
        enteringAt[j] = u;
      }
    }
    contracted[cycleNode * contractedSize + j] = best;
  });

  const inner = maximumArborescence(contracted, contractedSize);
  const result = heads.slice();
  outside.forEach((d, i) => {
    if (d === 0) return;
    const h = inner[i]!;
    result[d] = h === cycleNode ? leavingFrom[i]! : outside[h]!;
  });
  // The cycle keeps its arcs except at the node where the chosen arc enters it.
  const source = inner[cycleNode]!;
  result[enteringAt[source]!] = outside[source]!;
  return result;
}

/** Nodes of one cycle of the head graph, or undefined when it has none. */
function findCycle(heads: readonly number[], size: number): number[] | undefined {
  const state = new Uint8Array(size); // 0 unvisited, 1 on the current path, 2 done
  state[0] = 2;
  for (let start = 1; start < size; start++) {
    if (state[start]) continue;
    const path: number[] = [];
    let node = start;
    while (state[node] === 0) {
      state[node] = 1;
      path.push(node);
      node = heads[node]!;
    }
    if (state[node] === 1) return path.slice(path.indexOf(node));
    for (const v of path) state[v] = 2;
  }
  return undefined;
}
