import { describe, expect, it } from 'vitest';
import { adjustedRSquared, linearFit, pearson } from '../src/overlap/statistics.js';

describe('statistics', () => {
  it('Pearson r on a hand-computed case', () => {
    // dx = [-2,-1,0,1,2], dy = [-2,0,1,0,1]: sxy = 6, sxx = 10, syy = 6 -> r = 6 / sqrt(60).
    expect(pearson([1, 2, 3, 4, 5], [2, 4, 5, 4, 5])).toBeCloseTo(6 / Math.sqrt(60), 12);
    expect(pearson([1, 2, 3], [3, 2, 1])).toBeCloseTo(-1, 12);
    expect(pearson([1, 1, 1], [1, 2, 3])).toBeNull();
  });

  it('adjusted R^2 = 1 - (1 - R^2)(n - 1)/(n - p - 1)', () => {
    // One predictor: R^2 = r^2 = 0.6, n = 5 -> 1 - 0.4 * 4 / 3.
    const fit = linearFit([2, 4, 5, 4, 5], [[1, 2, 3, 4, 5]]);
    expect(fit?.rSquared).toBeCloseTo(0.6, 12);
    expect(fit?.adjustedRSquared).toBeCloseTo(1 - (0.4 * 4) / 3, 12);
    expect(adjustedRSquared(0.6, 5, 1)).toBeCloseTo(0.466667, 6);
  });

  it('two-predictor least squares against a reference (numpy.linalg.lstsq; exact rationals)', () => {
    const fit = linearFit(
      [1, 3, 2, 5, 4, 6],
      [
        [1, 2, 3, 4, 5, 6],
        [0, 1, 0, 1, 1, 0],
      ],
    );
    // Coefficients 3/26, 45/52, 37/52; R^2 = 753/910; adjusted = 1 - (157/910)(5/3) = 1945/2730.
    expect(fit?.coefficients[0]).toBeCloseTo(3 / 26, 10);
    expect(fit?.coefficients[1]).toBeCloseTo(45 / 52, 10);
    expect(fit?.coefficients[2]).toBeCloseTo(37 / 52, 10);
    expect(fit?.rSquared).toBeCloseTo(753 / 910, 10);
    expect(fit?.adjustedRSquared).toBeCloseTo(1945 / 2730, 10);
  });

  it('gives null for a singular design or a constant response', () => {
    expect(linearFit([1, 2, 3, 4], [[1, 1, 1, 1]])).toBeNull();
    expect(
      linearFit(
        [1, 2, 3, 4],
        [
          [1, 2, 3, 4],
          [2, 4, 6, 8],
        ],
      ),
    ).toBeNull();
    expect(linearFit([5, 5, 5, 5], [[1, 2, 3, 5]])).toBeNull();
  });
});
