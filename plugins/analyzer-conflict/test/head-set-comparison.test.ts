import { SeededRandom } from '@stem/core';
import { describe, expect, it } from 'vitest';
import { compareHeadSet } from '../src/compare/head-set-comparison.js';
import { perHeadConflict } from '../src/compare/per-head-conflict.js';
import type { ConflictMeasurement, HeadConflict } from '../src/conflict-measurement.js';

describe('head set against the other heads', () => {
  it('gives the means, the difference and the exact permutation null of a 2-of-4 split', () => {
    // The 6 ways to pick 2 of {0.9, 0.8, 0.1, 0.2} give differences -0.7, -0.1, 0, 0, 0.1, 0.7:
    // 2 of 6 are at least as extreme as the observed 0.7, so p -> 1/3.
    const result = compareHeadSet(
      [
        [0.9, 0.8],
        [0.1, 0.2],
      ],
      [
        [true, true],
        [false, false],
      ],
      { permutations: 3000, random: new SeededRandom(1) },
    );
    expect(result.inside).toEqual({ heads: 2, mean: expect.closeTo(0.85, 12) });
    expect(result.outside).toEqual({ heads: 2, mean: expect.closeTo(0.15, 12) });
    expect(result.difference).toBeCloseTo(0.7, 12);
    expect(Math.abs(result.pValue - 1 / 3)).toBeLessThan(0.03);
    expect(result.nullInterval95[0]).toBeCloseTo(-0.7, 12);
    expect(result.nullInterval95[1]).toBeCloseTo(0.7, 12);
  });

  it('finds a set whose heads all conflict more significant, reproducibly from the seed', () => {
    const values = Array.from({ length: 6 }, (_, l) =>
      Array.from({ length: 8 }, (_, h) => (h < 2 ? 0.8 + 0.01 * l : 0.1 + 0.01 * h)),
    );
    const inSet = values.map((row) => row.map((_, h) => h < 2));
    const run = (seed: number) =>
      compareHeadSet(values, inSet, { permutations: 999, random: new SeededRandom(seed) });
    const result = run(4);
    expect(result.pValue).toBe(1 / 1000);
    expect(result.difference).toBeGreaterThan(result.nullInterval95[1]);
    expect(run(4)).toEqual(result);
    // The other direction: a set of the low heads is as extreme (two-sided).
    const low = compareHeadSet(
      values,
      values.map((row) => row.map((_, h) => h >= 2)),
      { permutations: 999, random: new SeededRandom(4) },
    );
    expect(low.difference).toBeCloseTo(-result.difference, 12);
    expect(low.pValue).toBe(1 / 1000);
  });

  it('leaves out unmeasured heads and refuses a set with no head on one side or another shape', () => {
    const result = compareHeadSet([[0.5, NaN, 0.1, 0.3]], [[true, true, false, false]], {
      permutations: 10,
      random: new SeededRandom(2),
    });
    expect(result.inside.heads).toBe(1);
    expect(result.outside).toEqual({ heads: 2, mean: expect.closeTo(0.2, 12) });
    expect(() =>
      compareHeadSet([[0.5, 0.2]], [[true, true]], {
        permutations: 10,
        random: new SeededRandom(2),
      }),
    ).toThrow(/heads on both sides/);
    expect(() =>
      compareHeadSet([[0.5, 0.2]], [[true], [false]], {
        permutations: 10,
        random: new SeededRandom(2),
      }),
    ).toThrow(/same encoder/);
  });
});

describe('per-head conflict over measurements', () => {
  const head = (conflict: number, cosines: Array<number | null>): HeadConflict => ({
    norms: {},
    shares: {},
    conflict,
    cosine: Object.fromEntries(cosines.map((c, i) => [`p${i}`, c])),
  });
  const measurement = (update: number, heads: HeadConflict[][]) =>
    ({ update, heads }) as unknown as ConflictMeasurement;

  it('averages the conflict fraction, or minus the mean cosine, per head', () => {
    const measurements = [
      measurement(10, [[head(0, [1, 0.5]), head(0.5, [null, null])]]),
      measurement(20, [[head(0.5, [0, -0.5]), head(1, [null, null])]]),
    ];
    expect(perHeadConflict(measurements, 'conflict')).toEqual([[0.25, 0.75]]);
    // Head 0: -(0.75) at update 10, -(-0.25) at 20: mean -0.25. Head 1 has no cosine.
    const disagreement = perHeadConflict(measurements, 'disagreement');
    expect(disagreement[0]?.[0]).toBeCloseTo(-0.25, 12);
    expect(disagreement[0]?.[1]).toBeNaN();
    expect(() => perHeadConflict([], 'conflict')).toThrow(/no conflict measurement/);
  });
});
