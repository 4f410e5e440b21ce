import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Sentence } from '@stem/core';
import { buildEwt5, Ewt5Corpus } from '@stem/data';
import { checkTaskHeadOnWasm } from '@stem/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import registerHook from '../src/hooks/register.js';

const PROPBANK_SOURCE = fileURLToPath(
  new URL('../../../packages/data/sources/propbank-ewt/ewt-propbank.tar.gz', import.meta.url),
);

// The conformance check again on the backend users train on (wasm, native kernels where built);
// core picks a backend once per process, hence a file of its own.
// Real frames, as in srl-task.test.ts: on the three tiny sentences the ranker learns no
// argument in a few steps, and an empty prediction would make the self-scoring vacuous.
describe('@stem/task-srl on the wasm backend', () => {
  let work: string;
  let sentences: Sentence[];

  beforeAll(async () => {
    work = await mkdtemp(join(tmpdir(), 'stem-srl-wasm-'));
    await buildEwt5({ source: PROPBANK_SOURCE, out: work });
    sentences = (await new Ewt5Corpus(work).read('dev'))
      .filter((s) => s.words.length >= 6 && s.words.length <= 14)
      .filter((s) => s.annotations.srl!.some((f) => f.arguments.length > 1))
      .slice(0, 10);
  });
  afterAll(async () => {
    if (work) await rm(work, { recursive: true, force: true });
  });

  it('trains, saves, loads and predicts the same', async () => {
    const report = await checkTaskHeadOnWasm({
      hook: registerHook,
      taskId: 'stem.task.srl.span-ranking.v1',
      config: { argumentHiddenSizes: [32], predicateHiddenSizes: [32], pairHiddenSizes: [32] },
      sentences,
      steps: 60,
    });
    expect(report.predictions.flat().length).toBeGreaterThan(0);
    expect(report.finalLoss).toBeLessThan(report.initialLoss);
  }, 150_000);
});
