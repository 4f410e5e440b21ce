import { mkdtemp, readFile, readdir } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { SeededRandom, type TaskHead, type TensorFlow } from '@stem/core';
import { beforeAll, describe, expect, it } from 'vitest';
import type { ConflictMeasurement } from '../src/conflict-measurement.js';
import { measurementFile } from '../src/gradient-conflict-meter.js';
import { measureLoadedRun } from '../src/post-hoc.js';
import { frozenHead, negatedHead } from './support/fixtures.js';
import { meter, meterConfig } from './support/meter.js';
import { DEV, TRAIN, harnessRun, tagger } from './support/training-harness.js';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

const SHAPE = { layers: 2, heads: 3, hiddenSize: 6, maxPositions: 64 };

/** Every cosine of every head and pair in a measurement. */
function cosines(measurement: ConflictMeasurement): number[] {
  return measurement.heads.flat().flatMap((head) =>
    Object.values(head.cosine).map((c) => {
      expect(c).not.toBeNull();
      return c as number;
    }),
  );
}

async function twinRun(second: (twin: TaskHead) => TaskHead) {
  const conflict = meter(SHAPE, { every: 2 });
  // Both heads start from the same weights and, frozen, stay there while the encoder trains:
  // the twins compute the same loss (or its negation) on the same probe sentences.
  const run = await harnessRun({
    tasks: [
      { name: 'a', head: frozenHead(tagger(5)) },
      { name: 'b', head: second(frozenHead(tagger(5))) },
    ],
    components: [{ name: 'conflict', component: conflict }],
    maxSteps: 6,
  });
  await run.trainer.train();
  const measured = [...conflict.measurements()];
  run.dispose();
  return measured;
}

describe('gradient conflict meter during training', () => {
  it('finds cosine 1 on every head for two identical tasks', async () => {
    const measured = await twinRun((twin) => twin);
    expect(measured.map((m) => m.update)).toEqual([2, 4, 6]);
    for (const measurement of measured) {
      expect(measurement.pairs).toEqual(['a|b']);
      expect(measurement.heads).toHaveLength(2);
      expect(measurement.heads.every((row) => row.length === 3)).toBe(true);
      for (const c of cosines(measurement)) expect(c).toBeCloseTo(1, 5);
      for (const head of measurement.heads.flat()) {
        expect(head.norms.a).toBeGreaterThan(0);
        expect(head.conflict).toBe(0);
        expect(head.shares.a).toBeCloseTo(0.5, 6);
      }
    }
  }, 60_000);

  it('finds cosine -1 on every head for a task and its sign-flipped twin', async () => {
    const measured = await twinRun(negatedHead);
    expect(measured).toHaveLength(3);
    for (const measurement of measured) {
      expect(measurement.losses.b).toBeCloseTo(-(measurement.losses.a as number), 5);
      for (const c of cosines(measurement)) expect(c).toBeCloseTo(-1, 5);
      for (const head of measurement.heads.flat())
        expect(head.norms.b).toBeCloseTo(head.norms.a as number, 6);
    }
  }, 60_000);

  it('leaves training unchanged: a run with the meter ends with the weights of one without', async () => {
    const final = async (withMeter: boolean) => {
      const run = await harnessRun({
        tasks: [
          { name: 'pos', head: tagger(5) },
          { name: 'upos', head: tagger(6, 'upos') },
        ],
        components: withMeter ? [{ name: 'conflict', component: meter(SHAPE, { every: 1 }) }] : [],
        maxSteps: 8,
      });
      const before = run.finalWeights();
      await run.trainer.train();
      const after = run.finalWeights();
      run.dispose();
      return { before, after };
    };
    const off = await final(false);
    const on = await final(true);
    expect(on.before).toEqual(off.before);
    // Training moved the weights, and moved them identically.
    expect(on.after).not.toEqual(on.before);
    expect(on.after).toEqual(off.after);
  }, 60_000);

  it('writes each measurement atomically by update, and a resumed run measures the same', async () => {
    const tasks = () => [
      { name: 'pos', head: tagger(5) },
      { name: 'upos', head: tagger(6, 'upos') },
    ];
    const runOnce = async (directory?: string, stopAtUpdate?: number, resume = false) => {
      const conflict = meter(SHAPE, { every: 2 }, directory && join(directory, 'analyses'));
      const run = await harnessRun({
        tasks: tasks(),
        components: [{ name: 'conflict', component: conflict }],
        maxSteps: 8,
        ...(directory ? { directory } : {}),
        onEvent: (record) => {
          if (record.event === 'update' && record.update === stopAtUpdate)
            throw new Error('killed');
        },
      });
      try {
        await run.trainer.train({ resume });
      } finally {
        run.dispose();
      }
      return { directory: run.directory, measured: [...conflict.measurements()] };
    };
    const whole = await runOnce(await mkdtemp(join(tmpdir(), 'stem-conflict-whole-')));
    const wholeFiles = join(whole.directory, 'analyses');
    const files = (await readdir(wholeFiles)).sort();
    expect(files).toEqual([2, 4, 6, 8].map(measurementFile));
    expect(JSON.parse(await readFile(join(wholeFiles, files[1] as string), 'utf8'))).toEqual(
      JSON.parse(JSON.stringify(whole.measured[1])),
    );

    // Killed after update 5 (last checkpoint at update 4), then resumed by a new trainer.
    const killed = await mkdtemp(join(tmpdir(), 'stem-conflict-resume-'));
    await expect(runOnce(killed, 5)).rejects.toThrow('killed');
    expect((await readdir(join(killed, 'analyses'))).sort()).toEqual([2, 4].map(measurementFile));
    const resumed = await runOnce(killed, undefined, true);
    expect(resumed.measured.map((m) => m.update)).toEqual([6, 8]);
    for (const file of files)
      expect(JSON.parse(await readFile(join(killed, 'analyses', file), 'utf8'))).toEqual(
        JSON.parse(await readFile(join(wholeFiles, file), 'utf8')),
      );
  }, 60_000);

  it('measures the same post hoc on the trained model as it did at the end of training', async () => {
    const tasks = [
      { name: 'pos', head: tagger(5) },
      { name: 'upos', head: tagger(6, 'upos') },
    ];
    const conflict = meter(SHAPE, { every: 4 });
    // One dev evaluation, at the end: the best checkpoint the trainer reloads is the last one.
    const run = await harnessRun({
      tasks,
      components: [{ name: 'conflict', component: conflict }],
      maxSteps: 4,
    });
    await run.trainer.train();
    const online = conflict.measurements().at(-1);
    expect(online?.update).toBe(4);
    const postHoc = await measureLoadedRun({
      tf: tf as unknown as TensorFlow,
      encoder: run.encoder,
      tasks: tasks.map(({ name, head }) => ({ name, head, train: TRAIN, dev: DEV })),
      config: meterConfig({ every: 4 }),
      random: new SeededRandom(21).fork('trainingComponents.conflict'),
      update: 4,
      step: online?.step ?? -1,
    });
    expect(postHoc).toEqual(online);
    run.dispose();
  }, 60_000);
});
