import { trainerSettingsSchema } from '@stem/core';
import { describe, expect, it } from 'vitest';
import { estimatedSteps, stepCap } from '../src/study/estimated-steps.js';
import { StudyProgress, formatDuration } from '../src/study/study-progress.js';

describe('study progress', () => {
  it('plans epochs x batches of each task, capped by maxSteps', () => {
    const config = {
      trainer: { epochs: 2, maxSentencesPerBatch: 16 },
      tasks: { pos: { limit: { train: 300 } }, dep: { limit: { train: 40 } } },
    };
    expect(estimatedSteps(config)).toBe(2 * (19 + 3));
    expect(estimatedSteps({ ...config, trainer: { ...config.trainer, maxSteps: 10 } })).toBe(10);
    expect(stepCap({ ...config, trainer: { ...config.trainer, maxSteps: 10 } })).toBe(10);
    expect(stepCap(config)).toBeUndefined();
  });

  it("takes what a config leaves out from core's trainer defaults", () => {
    const defaults = trainerSettingsSchema.parse({});
    const tasks = { pos: { limit: { train: 1000 } } };
    expect(estimatedSteps({ tasks })).toBe(
      defaults.epochs * Math.ceil(1000 / defaults.maxSentencesPerBatch),
    );
    // Steps, not updates: accumulating gradients does not change the mini-batches walked.
    expect(estimatedSteps({ tasks, trainer: { accumulate: 4, epochs: 1 } })).toBe(
      Math.ceil(1000 / defaults.maxSentencesPerBatch),
    );
    // Without a train limit a task counts 12,000 sentences.
    expect(
      estimatedSteps({ tasks: { dep: {} }, trainer: { epochs: 1, maxSentencesPerBatch: 100 } }),
    ).toBe(120);
  });

  it('estimates the time left from the measured seconds per step', () => {
    let clock = 0;
    const lines: string[] = [];
    const progress = new StudyProgress(
      3,
      new Map([
        ['a', 10],
        ['b', 20],
      ]),
      (line) => lines.push(line),
      new Map(),
      1_000_000,
      () => clock,
    );
    expect(progress.eta()).toBeUndefined();
    progress.start('a', 'runs/a');
    clock = 10_000;
    // The trainer says run a has 2 x 6 steps (not the 10 planned) and 4 are done.
    progress.training({
      epoch: 1,
      epochs: 2,
      stepInEpoch: 4,
      stepsPerEpoch: 6,
      losses: {},
      subwordsPerSecond: 0,
    });
    // 2.5 s per step; 8 left of a, 20 of b.
    expect(progress.eta()).toBeCloseTo(2.5 * 28);
    clock = 30_000;
    progress.training({
      epoch: 2,
      epochs: 2,
      stepInEpoch: 6,
      stepsPerEpoch: 6,
      losses: {},
      subwordsPerSecond: 0,
    });
    progress.finished('a');
    // 12 steps in 30 s; b's 20 left.
    expect(progress.eta()).toBeCloseTo(2.5 * 20);
    progress.start('b', 'runs/b');
    expect(lines.at(-1)).toBe('study: 1/3 steps done · now runs/b · elapsed 30s · ETA 50s');
  });

  it('formats durations', () => {
    expect([formatDuration(12), formatDuration(245), formatDuration(3720)]).toEqual([
      '12s',
      '4m05s',
      '1h02m',
    ]);
  });
});
