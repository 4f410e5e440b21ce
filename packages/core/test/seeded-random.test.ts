import { describe, expect, it } from 'vitest';
import { SeededRandom } from '../src/random/seeded-random.js';

const draw = (random: SeededRandom, n: number) => Array.from({ length: n }, () => random.next());

describe('SeededRandom', () => {
  it('is a pure function of the seed', () => {
    expect(draw(new SeededRandom(7), 20)).toEqual(draw(new SeededRandom(7), 20));
    expect(draw(new SeededRandom(7), 20)).not.toEqual(draw(new SeededRandom(8), 20));
  });

  it('resumes from a saved state with the same continuation', () => {
    const random = new SeededRandom(3);
    draw(random, 11);
    const state = JSON.parse(JSON.stringify(random.state()));
    const continued = draw(random, 50);
    expect(draw(SeededRandom.fromState(state), 50)).toEqual(continued);
  });

  it('draws floats in [0, 1) with a mean near 1/2 and ints in range', () => {
    const random = new SeededRandom(1);
    const values = draw(random, 20000);
    expect(Math.min(...values)).toBeGreaterThanOrEqual(0);
    expect(Math.max(...values)).toBeLessThan(1);
    expect(values.reduce((a, b) => a + b, 0) / values.length).toBeCloseTo(0.5, 1);
    const counts = [0, 0, 0];
    for (let i = 0; i < 30000; i++) counts[random.int(3)]!++;
    for (const count of counts) expect(Math.abs(count - 10000)).toBeLessThan(500);
    expect(() => random.int(0)).toThrow(/positive integer/);
  });

  it('shuffles into a permutation, reproducibly', () => {
    const items = Array.from({ length: 50 }, (_, i) => i);
    const shuffled = new SeededRandom(5).shuffle([...items]);
    expect([...shuffled].sort((a, b) => a - b)).toEqual(items);
    expect(shuffled).not.toEqual(items);
    expect(new SeededRandom(5).shuffle([...items])).toEqual(shuffled);
  });

  it('chooses indices in proportion to the weights', () => {
    const random = new SeededRandom(11);
    const weights = [1, 3, 6];
    const counts = [0, 0, 0];
    for (let i = 0; i < 20000; i++) counts[random.choice(weights)]!++;
    expect(counts.map((c) => c / 20000)).toEqual([
      expect.closeTo(0.1, 1),
      expect.closeTo(0.3, 1),
      expect.closeTo(0.6, 1),
    ]);
    expect(() => random.choice([0, 0])).toThrow(/positive weight/);
  });

  it('forks independent streams by label, unaffected by draws on the parent', () => {
    const a = new SeededRandom(9);
    const b = new SeededRandom(9);
    draw(b, 100);
    expect(draw(a.fork('encoder'), 5)).toEqual(draw(b.fork('encoder'), 5));
    expect(draw(a.fork('encoder'), 5)).not.toEqual(draw(a.fork('tasks.pos'), 5));
    expect(a.nextSeed()).toBeGreaterThanOrEqual(0);
  });
});
