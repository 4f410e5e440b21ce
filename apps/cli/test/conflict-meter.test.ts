import { readdir, readFile, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cliNotBuilt, envelope, isolatedHome, runStem } from './run-stem.js';

// The gradient-conflict meter (@stem/analyzer-conflict) through `stem train`: it measures
// during an MTL run and only observes, so the run with it ends with the weights and scores of
// the same run without it (core leaves `observesOnly` components out of the stream identity).
const fixture = fileURLToPath(new URL('./fixtures/configs/mtl-tiny.yaml', import.meta.url));

interface TrainResult {
  runDirectory: string;
  test: Record<string, { scores: Record<string, number> }>;
}

interface Measurement {
  update: number;
  pairs: string[];
  heads: { norms: Record<string, number>; cosine: Record<string, number | null> }[][];
}

describe.skipIf(cliNotBuilt('commands/train.js'))(
  'the gradient-conflict meter in stem train',
  () => {
    let env: NodeJS.ProcessEnv;
    let work: string;
    let without: TrainResult;
    let metered: TrainResult;

    beforeAll(async () => {
      env = await isolatedHome();
      work = await mkdtemp(join(tmpdir(), 'stem-conflict-'));
      const small = (await readFile(fixture, 'utf8'))
        .replace(
          'limit: { train: 300, dev: 50, test: 50 }',
          'limit: { train: 48, dev: 16, test: 16 }',
        )
        .replace(
          'limit: { train: 150, dev: 50, test: 50 }',
          'limit: { train: 32, dev: 16, test: 16 }',
        )
        .replace('epochs: 2', 'epochs: 1');
      expect(small).toContain('train: 32');
      const plain = join(work, 'plain.yaml');
      const meter = join(work, 'meter.yaml');
      await writeFile(plain, small);
      await writeFile(
        meter,
        `${small}trainingComponents:\n  conflict: { type: stem.training.gradient-conflict.v1, every: 2, probeSentences: 8 }\n`,
      );
      const train = async (config: string, out: string): Promise<TrainResult> => {
        const run = await runStem(
          ['train', '-c', config, '--set', `output.directory=${join(work, out)}`, '--json'],
          env,
        );
        expect(run.code, run.stderr).toBe(0);
        return envelope<TrainResult>(run).result;
      };
      without = await train(plain, 'plain');
      metered = await train(meter, 'meter');
    }, 240_000);
    afterAll(() => rm(work, { recursive: true, force: true }));

    it('measures every 2 updates: per head of the 1 x 2 encoder, both tasks, their cosine', async () => {
      const folder = join(metered.runDirectory, 'analyses', 'conflict');
      const files = (await readdir(folder)).sort();
      expect(files.length).toBeGreaterThan(0);
      for (const [k, file] of files.entries()) {
        const measurement = JSON.parse(await readFile(join(folder, file), 'utf8')) as Measurement;
        expect(measurement.update).toBe(2 * (k + 1));
        expect(measurement.pairs).toEqual(['xpos|upos']);
        expect(measurement.heads).toHaveLength(1);
        expect(measurement.heads[0]).toHaveLength(2);
        for (const head of measurement.heads[0]!) {
          expect(head.norms.xpos).toBeGreaterThan(0);
          expect(head.norms.upos).toBeGreaterThan(0);
          expect(Math.abs(head.cosine['xpos|upos']!)).toBeLessThanOrEqual(1);
        }
      }
    });

    it('ends with the weights and the test scores of the same run without it', async () => {
      const weights = async (run: string) => {
        const folder = join(run, 'checkpoints', 'last');
        const file = (await readdir(folder)).find((name) => name.endsWith('.safetensors'))!;
        return readFile(join(folder, file));
      };
      expect(
        (await weights(metered.runDirectory)).equals(await weights(without.runDirectory)),
      ).toBe(true);
      expect(metered.test).toEqual(without.test);
      const manifest = async (run: string) =>
        JSON.parse(await readFile(join(run, 'manifest.json'), 'utf8')) as { randomStream: string };
      expect((await manifest(metered.runDirectory)).randomStream).toBe(
        (await manifest(without.runDirectory)).randomStream,
      );
    });
  },
);
