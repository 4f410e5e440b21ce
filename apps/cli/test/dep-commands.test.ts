import { mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { conlluToSentence, parseConllu, treeProblems } from '@stem/data';
import { beforeAll, describe, expect, it } from 'vitest';
import { envelope, isolatedHome, runStem } from './run-stem.js';

interface Scores {
  primary: string;
  scores: Record<string, number>;
}

interface TrainResult {
  runDirectory: string;
  dev: Record<string, Scores>;
  test: Record<string, Scores>;
}

/** The example DEP config shrunk to a few steps: a handful of sentences, a 1-layer encoder. */
const TINY = [
  'tasks.dep.limit.train=48',
  'tasks.dep.limit.dev=16',
  'tasks.dep.limit.test=16',
  'tasks.dep.arcMlp=32',
  'tasks.dep.labelMlp=16',
  'encoder.architecture.layers=1',
  'encoder.architecture.heads=2',
  'encoder.architecture.hidden=32',
  'trainer.epochs=1',
  'trainer.maxSentencesPerBatch=16',
].flatMap((override) => ['--set', override]);

describe('stem train / evaluate / predict with the DEP task (examples/dep-ewt-tiny.yaml)', () => {
  let env: NodeJS.ProcessEnv;
  let work: string;
  let trained: TrainResult;

  beforeAll(async () => {
    env = await isolatedHome();
    work = await mkdtemp(join(tmpdir(), 'stem-dep-'));
    const run = await runStem(
      [
        'train',
        '-c',
        'examples/dep-ewt-tiny.yaml',
        ...TINY,
        '--set',
        `output.directory=${join(work, 'runs')}`,
        '--json',
      ],
      env,
    );
    expect(run.code, run.stderr).toBe(0);
    trained = envelope<TrainResult>(run).result;
  });

  it('trains a few steps and reports LAS (primary), UAS, all-token scores and per-relation F1', () => {
    for (const split of [trained.dev, trained.test]) {
      const dep = split.dep!;
      expect(dep.primary).toBe('las');
      for (const key of ['las', 'uas', 'lasAll', 'uasAll']) {
        expect(dep.scores[key]).toBeGreaterThanOrEqual(0);
        expect(dep.scores[key]).toBeLessThanOrEqual(1);
      }
      expect(dep.scores.uas).toBeGreaterThanOrEqual(dep.scores.las!);
      // EWT has punctuation: fewer words are scored without it.
      expect(dep.scores.words).toBeLessThan(dep.scores.wordsAll!);
      expect(Object.keys(dep.scores).some((k) => k.startsWith('relation/'))).toBe(true);
    }
  });

  it('evaluates the best checkpoint on test with the scores training reported', async () => {
    const run = await runStem(['evaluate', trained.runDirectory, '--split', 'test', '--json'], env);
    expect(run.code, run.stderr).toBe(0);
    expect(envelope<{ scores: TrainResult['test'] }>(run).result.scores).toEqual(trained.test);
  });

  it('predicts heads and relations into CoNLL-U HEAD/DEPREL that read back as trees', async () => {
    const input = join(work, 'sentences.txt');
    await writeFile(input, 'The dog saw a cat .\nShe wrote to him yesterday !\n');
    const output = join(work, 'predicted.conllu');
    const run = await runStem(
      ['predict', trained.runDirectory, '--input', input, '--output', output],
      env,
    );
    expect(run.code, run.stderr).toBe(0);
    const relations = JSON.parse(await readFile(join(trained.runDirectory, 'labels.json'), 'utf8'))
      .dep.relations as string[];
    const sentences = parseConllu(await readFile(output, 'utf8'), output).sentences.map((s) =>
      conlluToSentence(s),
    );
    expect(sentences.map((s) => s.words.length)).toEqual([6, 6]);
    for (const sentence of sentences) {
      const tree = sentence.annotations.dep!;
      // Default decoding (argmax, Eisner fallback): always a single-rooted tree.
      expect(treeProblems(tree.heads)).toEqual([]);
      for (const relation of tree.relations) expect(relations).toContain(relation);
    }
  });
});
