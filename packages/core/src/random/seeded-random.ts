import { xoroshiro128plus, unsafeUniformIntDistribution, type RandomGenerator } from 'pure-rand';

/** Serialisable generator state, stored in checkpoints so a resumed run draws the same numbers. */
export interface RandomState {
  seed: number;
  generator: number[];
}

const TWO_POW_32 = 2 ** 32;

/**
 * The run's source of randomness (xoroshiro128+ from pure-rand). Every random choice in
 * stem (shuffling, sampling, initialisation, dropout and gate-noise seeds) comes from
 * one of these, derived from the config's seed, never from Math.random.
 */
export class SeededRandom {
  private generator: RandomGenerator;

  constructor(readonly seed: number) {
    if (!Number.isInteger(seed)) throw new Error(`seed must be an integer, got ${seed}`);
    this.generator = xoroshiro128plus(seed | 0);
  }

  static fromState(state: RandomState): SeededRandom {
    const random = new SeededRandom(state.seed);
    random.generator = xoroshiro128plus.fromState(state.generator);
    return random;
  }

  state(): RandomState {
    return { seed: this.seed, generator: [...this.generator.getState()] };
  }

  /** Uniform float in [0, 1) with 53 random bits. */
  next(): number {
    const high = this.generator.unsafeNext() >>> 0;
    const low = this.generator.unsafeNext() >>> 0;
    return ((high >>> 5) * 67108864 + (low >>> 6)) / 9007199254740992;
  }

  /** Uniform integer in [0, maxExclusive). */
  int(maxExclusive: number): number {
    if (!Number.isInteger(maxExclusive) || maxExclusive <= 0) {
      throw new Error(`int(maxExclusive) needs a positive integer, got ${maxExclusive}`);
    }
    return unsafeUniformIntDistribution(0, maxExclusive - 1, this.generator);
  }

  /** Uniform float in [low, high). */
  uniform(low: number, high: number): number {
    return low + (high - low) * this.next();
  }

  /** In-place Fisher-Yates shuffle; returns the same array. */
  shuffle<T>(items: T[]): T[] {
    for (let i = items.length - 1; i > 0; i--) {
      const j = this.int(i + 1);
      const held = items[i] as T;
      items[i] = items[j] as T;
      items[j] = held;
    }
    return items;
  }

  /** Index drawn with probability proportional to `weights` (non-negative, not all zero). */
  choice(weights: readonly number[]): number {
    let total = 0;
    for (const weight of weights) {
      if (!(weight >= 0) || !Number.isFinite(weight))
        throw new Error(`choice() weights must be finite and >= 0`);
      total += weight;
    }
    if (total <= 0) throw new Error('choice() needs at least one positive weight');
    let target = this.next() * total;
    for (let i = 0; i < weights.length; i++) {
      target -= weights[i] as number;
      if (target < 0) return i;
    }
    return weights.length - 1;
  }

  /** A 32-bit seed for a tfjs random op (tf.randomUniform and friends take explicit seeds). */
  nextSeed(): number {
    return Math.floor(this.next() * TWO_POW_32) >>> 0;
  }

  /**
   * An independent stream named by `label`: the same (seed, label) always gives the same
   * stream, whatever else has been drawn, so adding a component does not shift the others.
   */
  fork(label: string): SeededRandom {
    return new SeededRandom(hashLabel(this.seed, label));
  }
}

/** FNV-1a over the label, mixed with the parent seed. */
function hashLabel(seed: number, label: string): number {
  let hash = 0x811c9dc5 ^ seed;
  for (let i = 0; i < label.length; i++) {
    hash ^= label.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193);
  }
  return hash | 0;
}
