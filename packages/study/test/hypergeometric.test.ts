import { describe, expect, it } from 'vitest';
import { hypergeometricAtLeast } from '../src/report/hypergeometric.js';

describe('hypergeometric upper tail (stem cells in the middle layers by chance)', () => {
  it('matches hand-computed cases', () => {
    // All 8 stem cells in the 16 middle heads of 32: C(16,8) / C(32,8) = 12870 / 10518300.
    expect(hypergeometricAtLeast(8, 32, 16, 8)).toBeCloseTo(12870 / 10518300, 12);
    // 2 of 3 draws from 4 marked of 6: P(2) + P(3) = (C(4,2)C(2,1) + C(4,3)) / C(6,3) = 16 / 20.
    expect(hypergeometricAtLeast(2, 6, 4, 3)).toBeCloseTo(0.8, 12);
    // At least 0 is certain; more than can be drawn is impossible.
    expect(hypergeometricAtLeast(0, 32, 16, 7)).toBeCloseTo(1, 12);
    expect(hypergeometricAtLeast(8, 32, 16, 7)).toBe(0);
  });

  it('says 4 of 7 stem cells in half the heads is what chance gives', () => {
    // sum_{x>=4} C(16,x) C(16,7-x) / C(32,7) = (1820*560 + 4368*120 + 8008*16 + 11440) / 3365856
    expect(hypergeometricAtLeast(4, 32, 16, 7)).toBeCloseTo(
      (1820 * 560 + 4368 * 120 + 8008 * 16 + 11440) / 3365856,
      12,
    );
    expect(hypergeometricAtLeast(4, 32, 16, 7)).toBeGreaterThan(0.4);
  });
});
