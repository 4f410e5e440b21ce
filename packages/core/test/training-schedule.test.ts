import { describe, expect, it } from 'vitest';
import { SeededRandom } from '../src/random/seeded-random.js';
import { planBatches } from '../src/training/batch-plan.js';
import { linearWarmupDecay, plannedUpdates } from '../src/training/learning-rate-schedule.js';
import { MovingAverageLossBalancer } from '../src/training/loss-balancer.js';
import { planEpoch, taskProbabilities } from '../src/training/task-sampling.js';

describe('planBatches', () => {
  it('sorts by length and cuts by the sentence cap and the padded sub-word budget', () => {
    const lengths = [5, 30, 4, 10, 9, 31, 3];
    // Budget 30: [3,4,5] pads to 3x5=15, adding 9 would pad 4x9=36 > 30.
    expect(planBatches(lengths, { maxSentences: 10, maxSubwords: 30 })).toEqual([
      [6, 2, 0],
      [4, 3],
      [1],
      [5],
    ]);
    expect(planBatches(lengths, { maxSentences: 2, maxSubwords: 1000 })).toEqual([
      [6, 2],
      [0, 4],
      [3, 1],
      [5],
    ]);
  });

  it('matches a brute-force check: every sentence once, no batch over its caps unless alone', () => {
    const random = new SeededRandom(5);
    for (let trial = 0; trial < 50; trial++) {
      const lengths = Array.from({ length: 1 + random.int(60) }, () => 1 + random.int(80));
      const limits = { maxSentences: 1 + random.int(8), maxSubwords: 20 + random.int(200) };
      const batches = planBatches(lengths, limits);
      expect(batches.flat().sort((a, b) => a - b)).toEqual(lengths.map((_, i) => i));
      for (const batch of batches) {
        const longest = Math.max(...batch.map((i) => lengths[i] as number));
        if (batch.length > 1)
          expect(batch.length * longest).toBeLessThanOrEqual(limits.maxSubwords);
        expect(batch.length).toBeLessThanOrEqual(limits.maxSentences);
      }
    }
  });
});

describe('MTL task sampling', () => {
  it('draws tasks in proportion to N_t^0.8 within 1% over 10,000 draws', () => {
    const counts = [196, 75, 12, 320, 40];
    const expected = taskProbabilities(counts);
    const hand = counts.map((n) => n ** 0.8);
    const total = hand.reduce((a, b) => a + b, 0);
    expected.forEach((p, t) => expect(p).toBeCloseTo((hand[t] as number) / total, 12));

    const random = new SeededRandom(11);
    const drawn = counts.map(() => 0);
    for (let i = 0; i < 10_000; i++) drawn[random.choice(expected)]! += 1;
    drawn.forEach((n, t) =>
      expect(Math.abs(n / 10_000 - (expected[t] as number))).toBeLessThan(0.01),
    );
  });

  it('plans an epoch of sum N_t steps, each batch of a task before any repeats, reproducibly', () => {
    const counts = [6, 3];
    const plan = planEpoch(counts, new SeededRandom(1).fork('epoch/0'));
    expect(plan).toHaveLength(9);
    expect(planEpoch(counts, new SeededRandom(1).fork('epoch/0'))).toEqual(plan);
    expect(planEpoch(counts, new SeededRandom(1).fork('epoch/1'))).not.toEqual(plan);
    for (const task of [0, 1]) {
      const batches = plan.filter((s) => s.task === task).map((s) => s.batch);
      const firstRound = batches.slice(0, counts[task]);
      expect(new Set(firstRound).size).toBe(firstRound.length);
    }
    expect(
      planEpoch([4], new SeededRandom(2))
        .map((s) => s.batch)
        .sort(),
    ).toEqual([0, 1, 2, 3]);
  });
});

describe('MovingAverageLossBalancer', () => {
  it('weights L_t by sum_k MA_k / MA_t over the last 5 losses (hand computation)', () => {
    const balancer = new MovingAverageLossBalancer(['pos', 'dep']);
    expect(balancer.observe('pos', 2)).toBe(1); // only pos has history: 2 / 2
    // MA_pos = 2, MA_dep = 6: weight of dep = (2 + 6) / 6
    expect(balancer.observe('dep', 6)).toBeCloseTo(8 / 6, 12);
    for (const loss of [4, 6, 8, 10]) balancer.observe('pos', loss);
    // pos window = [2,4,6,8,10] -> 6; one more loss 12 drops the 2: [4..12] -> 8
    expect(balancer.observe('pos', 12)).toBeCloseTo((8 + 6) / 8, 12);
    const copy = new MovingAverageLossBalancer(['pos', 'dep']);
    copy.load(balancer.state());
    expect(copy.observe('dep', 2)).toBeCloseTo(balancer.observe('dep', 2), 12);
  });

  it('gives weight 1 to a single task', () => {
    const balancer = new MovingAverageLossBalancer(['pos']);
    for (const loss of [3, 1, 0.5]) expect(balancer.observe('pos', loss)).toBe(1);
  });
});

describe('linearWarmupDecay', () => {
  it('warms up over 10% of the updates, then decays linearly to 0', () => {
    const total = 100;
    const rates = Array.from({ length: total }, (_, u) => linearWarmupDecay(u, total));
    expect(rates[0]).toBeCloseTo(0.1);
    expect(rates[9]).toBe(1);
    expect(rates[10]).toBe(1);
    expect(rates[54]).toBeCloseTo(0.5, 1);
    expect(rates[99]).toBeCloseTo(1 / 90);
    expect(linearWarmupDecay(100, total)).toBe(0);
    for (let u = 10; u < 99; u++) expect(rates[u + 1]).toBeLessThan(rates[u] as number);
  });
});

describe('plannedUpdates', () => {
  it('counts the updates of a trainer that flushes every `accumulate` steps and at epoch ends', () => {
    expect(plannedUpdates(8, 24, 3)).toBe(9); // 3 epochs of ceil(8/3), not ceil(24/3) = 8
    expect(plannedUpdates(8, 20, 3)).toBe(8); // maxSteps cuts epoch 3 after 4 steps: 3 + 3 + 2
    expect(plannedUpdates(8, 24, 1)).toBe(24);
    expect(plannedUpdates(0, 0, 3)).toBe(0);
    // Brute force: simulate the flushes step by step.
    for (let steps = 1; steps <= 12; steps++)
      for (let planned = 0; planned <= 3 * steps; planned++)
        for (let accumulate = 1; accumulate <= 5; accumulate++) {
          let updates = 0;
          let pending = 0;
          for (let step = 1; step <= planned; step++) {
            pending++;
            if (pending === accumulate || step % steps === 0 || step === planned) {
              updates++;
              pending = 0;
            }
          }
          expect([steps, planned, accumulate, plannedUpdates(steps, planned, accumulate)]).toEqual([
            steps,
            planned,
            accumulate,
            updates,
          ]);
        }
  });
});
