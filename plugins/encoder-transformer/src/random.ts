/** What the encoder needs from a random source; core's SeededRandom satisfies it. */
export interface RandomSource {
  /** Uniform float in [0, 1). */
  next(): number;
  /** A 32-bit seed for a tfjs random op. */
  nextSeed(): number;
}

/**
 * A small seeded generator (splitmix32) for library calls made without a core SeededRandom
 * (e.g. `initModel({seed})` from a script). Never Math.random.
 */
export function seededSource(seed: number): RandomSource {
  let state = seed >>> 0;
  const nextUint = (): number => {
    state = (state + 0x9e3779b9) >>> 0;
    let z = state;
    z = Math.imul(z ^ (z >>> 16), 0x85ebca6b) >>> 0;
    z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35) >>> 0;
    return (z ^ (z >>> 16)) >>> 0;
  };
  return {
    next: () => (nextUint() * 2 ** 21 + (nextUint() >>> 11)) / 2 ** 53,
    nextSeed: () => nextUint(),
  };
}
