/** A uniform [0, 1) stream; callers pass core's SeededRandom (or a fork of it). */
export interface SharingRandom {
  next(): number;
}

/**
 * Draws the kept heads of one simulated pruning run for the sharing test's null hypotheses:
 * a run keeps as many heads as it really kept, placed at random. Heads are numbered
 * `layer * heads + head`. Sampling is a partial Fisher-Yates shuffle over a reusable
 * permutation: min(k, n - k) swaps per draw, and starting from whatever order the last draw
 * left is fine, because each swap picks uniformly among the heads not yet chosen.
 */
export class KeptHeadSampler {
  private readonly everyHead: Int32Array;
  private readonly perLayer: Int32Array;

  constructor(
    readonly layers: number,
    readonly heads: number,
    private readonly random: SharingRandom,
  ) {
    const total = layers * heads;
    this.everyHead = Int32Array.from({ length: total }, (_, i) => i);
    this.perLayer = Int32Array.from({ length: total }, (_, i) => i);
  }

  /** `count` distinct heads drawn uniformly over all heads, written to `into[0..count)`. */
  drawUniform(count: number, into: Int32Array): number {
    return this.partialShuffle(this.everyHead, 0, this.layers * this.heads, count, into, 0);
  }

  /**
   * Per layer l, `countsPerLayer[l]` distinct heads of that layer drawn uniformly within it;
   * the heads go to `into` layer after layer. Returns how many were written.
   */
  drawWithinLayer(countsPerLayer: ArrayLike<number>, into: Int32Array): number {
    let written = 0;
    for (let l = 0; l < this.layers; l++)
      written += this.partialShuffle(
        this.perLayer,
        l * this.heads,
        this.heads,
        countsPerLayer[l] as number,
        into,
        written,
      );
    return written;
  }

  private partialShuffle(
    order: Int32Array,
    start: number,
    length: number,
    count: number,
    into: Int32Array,
    at: number,
  ): number {
    if (count < 0 || count > length) throw new Error(`cannot draw ${count} of ${length} heads`);
    // Runs usually keep most heads: shuffle the heads left out to the front instead, so the
    // random draws number min(count, length - count); the rest is then a uniform kept set.
    const shuffled = Math.min(count, length - count);
    for (let i = 0; i < shuffled; i++) {
      const j = i + Math.floor(this.random.next() * (length - i));
      const picked = order[start + j] as number;
      order[start + j] = order[start + i] as number;
      order[start + i] = picked;
    }
    const from = shuffled === count ? start : start + shuffled;
    for (let i = 0; i < count; i++) into[at + i] = order[from + i] as number;
    return count;
  }
}
