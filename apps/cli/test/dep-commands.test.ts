import { spawn } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { mkdtemp, readdir, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { conlluToSentence, parseConllu, treeProblems, udFile } from '@stem/data';
import { beforeAll, describe, expect, it } from 'vitest';
import { cliRoot, envelope, isolatedHome, repositoryRoot, runStem } from './run-stem.js';

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
  'trainer.checkpointEvery=1',
].flatMap((override) => ['--set', override]);

/** Starts `stem train` and SIGKILLs it once a mid-epoch checkpoint of the second epoch is on disk. */
async function trainAndKill(output: string, env: NodeJS.ProcessEnv): Promise<string> {
  const child = spawn(
    process.execPath,
    [
      join(cliRoot, 'bin', 'run.js'),
      'train',
      '-c',
      'examples/dep-ewt-tiny.yaml',
      ...TINY,
      '--set',
      'trainer.epochs=2',
      '--set',
      `output.directory=${output}`,
    ],
    { cwd: repositoryRoot, env: { ...process.env, ...env }, stdio: 'ignore' },
  );
  const exited = new Promise<void>((resolve) => child.on('exit', () => resolve()));
  let finished = false;
  void exited.then(() => (finished = true));
  while (!finished) {
    const [run] = existsSync(output) ? await readdir(output) : [];
    const state = run ? join(output, run, 'checkpoints', 'last', 'state.json') : undefined;
    if (state && existsSync(state)) {
      try {
        const { epoch, stepInEpoch } = JSON.parse(await readFile(state, 'utf8'));
        // Killed inside the second epoch: the first epoch's dev evaluation is already behind it.
        if (epoch >= 1 && stepInEpoch > 0) {
          child.kill('SIGKILL');
          await exited;
          return join(output, run!);
        }
      } catch {
        // Read between the atomic rename and the next write: try again.
      }
    }
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
  throw new Error('the run finished before a mid-epoch checkpoint could be interrupted');
}

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
      // Each score is a count of words over the words scored: times that count, a whole number.
      for (const [key, words] of [
        ['las', 'words'],
        ['uas', 'words'],
        ['lasAll', 'wordsAll'],
        ['uasAll', 'wordsAll'],
        ['lasConll18', 'wordsAll'],
      ] as const) {
        const correct = dep.scores[key]! * dep.scores[words]!;
        expect(Math.abs(correct - Math.round(correct)), key).toBeLessThan(1e-6);
        expect(Math.round(correct)).toBeLessThanOrEqual(dep.scores[words]!);
      }
      expect(dep.scores.uas).toBeGreaterThanOrEqual(dep.scores.las!);
      // The universal part of a relation matches whenever the whole one does.
      expect(dep.scores.lasConll18).toBeGreaterThanOrEqual(dep.scores.lasAll!);
      // EWT has punctuation: fewer words are scored without it.
      expect(dep.scores.words).toBeLessThan(dep.scores.wordsAll!);
      expect(Object.keys(dep.scores).some((k) => k.startsWith('relation/'))).toBe(true);
    }
    // Every syntactic word of the first 16 sentences of each split is scored (no multi-word
    // token surface forms, no empty nodes), counted here from the gold files themselves.
    for (const split of ['dev', 'test'] as const) {
      const gold = parseConllu(readFileSync(udFile('en_ewt', split), 'utf8')).sentences.slice(
        0,
        16,
      );
      const words = gold.reduce((sum, sentence) => sum + sentence.words.length, 0);
      expect(trained[split].dep!.scores.wordsAll).toBe(words);
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

  it('keeps a CoNLL-U input byte for byte except HEAD and DEPREL (EWT test, multi-word tokens)', async () => {
    // The first 200 sentences of the EWT test file verbatim (the POS plugin's test runs the whole file).
    const ewt = await readFile(udFile('en_ewt', 'test'), 'utf8');
    const text = ewt.split('\n\n').slice(0, 200).join('\n\n') + '\n\n';
    expect(text).toMatch(/^\d+-\d+\t/m);
    expect(text).toMatch(/SpaceAfter=No/);
    const input = join(work, 'ewt-test-200.conllu');
    await writeFile(input, text);
    const output = join(work, 'ewt-test-200.predicted.conllu');
    const run = await runStem(
      ['predict', trained.runDirectory, '--input', input, '--output', output],
      env,
    );
    expect(run.code, run.stderr).toBe(0);
    const written = await readFile(output, 'utf8');
    const keep = (line: string) =>
      /^\d+\t/.test(line)
        ? line
            .split('\t')
            .filter((_, c) => c !== 6 && c !== 7)
            .join('\t')
        : line;
    expect(written.split('\n').map(keep)).toEqual(text.split('\n').map(keep));
    expect(written).not.toBe(text);
  });

  it('resumes a DEP run killed with SIGKILL mid-epoch and ends with the same metrics (head dropout replayed)', async () => {
    const whole = await runStem(
      [
        'train',
        '-c',
        'examples/dep-ewt-tiny.yaml',
        ...TINY,
        '--set',
        'trainer.epochs=2',
        '--set',
        `output.directory=${join(work, 'whole')}`,
        '--json',
      ],
      env,
    );
    expect(whole.code, whole.stderr).toBe(0);
    const directory = await trainAndKill(join(work, 'killed'), env);
    expect(existsSync(join(directory, 'results.json'))).toBe(false);
    const resumed = await runStem(['train', '--resume', directory, '--json'], env);
    expect(resumed.code, resumed.stderr).toBe(0);
    const pick = (result: TrainResult & { best?: unknown }) => ({
      best: result.best,
      dev: result.dev,
      test: result.test,
    });
    expect(pick(envelope<TrainResult>(resumed).result)).toEqual(
      pick(envelope<TrainResult>(whole).result),
    );
  });
});
