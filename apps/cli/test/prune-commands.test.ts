import { mkdtemp, readdir, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { envelope, isolatedHome, runStem } from './run-stem.js';

const config = fileURLToPath(new URL('./fixtures/configs/prune-tiny.yaml', import.meta.url));

interface PruneResult {
  runDirectory: string;
  summaryFile: string;
  pruning: {
    tasks: string[];
    final: {
      gates: number[][];
      kept: number[][];
      keptFraction: number;
      keptHeads: number;
      lambda: number;
    };
    evaluations: Array<{ epoch: number; gates: number[][] }>;
    scores: {
      gated: { dev: Record<string, Record<string, number>> };
      open: { dev: Record<string, Record<string, number>> };
    };
  };
}

describe('stem prune and stem analyze overlap', () => {
  it('prunes with the paper defaults, writes the gates, and compares two runs', async () => {
    const env = await isolatedHome();
    const output = await mkdtemp(join(tmpdir(), 'stem-prune-'));
    const runs: PruneResult[] = [];
    for (const seed of [1, 2]) {
      const run = await runStem(
        [
          'prune',
          '-c',
          config,
          '--set',
          `output.directory=${output}`,
          '--set',
          `seed=${seed}`,
          '--json',
        ],
        env,
      );
      expect(run.code, run.stderr).toBe(0);
      runs.push(envelope<PruneResult>(run).result);
    }
    const [first] = runs as [PruneResult, PruneResult];
    const manifest = JSON.parse(await readFile(join(first.runDirectory, 'manifest.json'), 'utf8'));
    expect(manifest.config.trainingComponents).toEqual({
      pruning: { type: 'stem.training.head-gates.hard-concrete.v1', learningRate: 0.001 },
    });
    expect(manifest.config.trainer.encoderLearningRate).toBe(1e-5);

    const summary = JSON.parse(
      await readFile(join(first.runDirectory, 'pruning', 'gates.json'), 'utf8'),
    );
    expect(summary).toEqual(first.pruning);
    expect(summary.tasks).toEqual(['pos']);
    expect(summary.primary).toEqual({ pos: 'accuracy' });
    expect(summary.final.lambda).toBe(0.01);
    expect(summary.final.gates).toHaveLength(2);
    expect(summary.final.gates[0]).toHaveLength(2);
    // kept iff the evaluation gate > 1e-3, and the fraction agrees with the mask.
    summary.final.gates
      .flat()
      .forEach((g: number, i: number) =>
        expect(summary.final.kept.flat()[i]).toBe(g > 1e-3 ? 1 : 0),
      );
    expect(summary.final.keptFraction).toBe(summary.final.keptHeads / 4);
    expect(summary.evaluations.map((e: { epoch: number }) => e.epoch)).toEqual([1, 2]);
    expect(summary.scores.gated.dev.pos.accuracy).toBeGreaterThan(0);
    expect(summary.scores.open.dev.pos.accuracy).toBeGreaterThan(0);
    const events = (await readFile(join(first.runDirectory, 'metrics.ndjson'), 'utf8'))
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line));
    expect(events.filter((e) => e.event === 'dev').every((e) => e.components?.pruning?.gates)).toBe(
      true,
    );

    // `stem evaluate` on a pruning run scores the model with its gates applied.
    const evaluation = await runStem(
      ['evaluate', first.runDirectory, '--split', 'dev', '--json'],
      env,
    );
    expect(evaluation.code, evaluation.stderr).toBe(0);
    expect(
      envelope<{ scores: Record<string, { scores: Record<string, number> }> }>(evaluation).result
        .scores.pos?.scores,
    ).toEqual(summary.scores.gated.dev.pos);

    // Two epochs leave gates between 0 and 1: such runs are counted only on request.
    const overlapDirectory = join(output, 'overlap');
    const overlap = await runStem(
      [
        'analyze',
        'overlap',
        ...runs.map((r) => r.runDirectory),
        '-o',
        overlapDirectory,
        '--include-undecided',
        '--json',
      ],
      env,
    );
    expect(overlap.code, overlap.stderr).toBe(0);
    const result = envelope<{
      tasks: Array<{ task: string; runs: string[] }>;
      correlation: { diagonal: Array<{ method: string; note?: string }> };
      stemCells: unknown[];
      excludedUndecided: unknown[];
      files: string[];
    }>(overlap).result;
    expect(result.tasks.map((t) => [t.task, t.runs.length])).toEqual([['pos', 2]]);
    expect(result.excludedUndecided).toEqual([]);
    expect(result.correlation.diagonal[0]?.method).toBe('pearson-two-runs');
    expect((await readdir(overlapDirectory)).sort()).toEqual(
      ['correlation.svg', 'mean-gates.svg', 'overlap.json', 'rgb-pos.svg'].sort(),
    );
    const human = await runStem(
      [
        'analyze',
        'overlap',
        ...runs.map((r) => r.runDirectory),
        '-o',
        overlapDirectory,
        '--include-undecided',
      ],
      env,
    );
    expect(human.stdout).toMatch(/stem cells \(claimed by every task/);
    expect(human.stdout).toMatch(/note: pos: two runs/);

    const notPruned = await runStem(['analyze', 'overlap', output, '--json'], env);
    expect(notPruned.code).not.toBe(0);
    expect(envelope(notPruned).error?.message).toMatch(/not a finished pruning run/);
  }, 600_000);
});
