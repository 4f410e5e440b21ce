import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { copyFile, mkdir, mkdtemp, readdir, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import { cliRoot, envelope, isolatedHome, repositoryRoot, runStem } from './run-stem.js';

const config = fileURLToPath(new URL('./fixtures/configs/pos-tiny.yaml', import.meta.url));

interface TrainResult {
  runDirectory: string;
  best: { score: number; epoch: number };
  dev: Record<string, { primary: string; scores: Record<string, number> }>;
  test: Record<string, { primary: string; scores: Record<string, number> }>;
}

async function onlyRunIn(directory: string): Promise<string> {
  const entries = await readdir(directory);
  expect(entries).toHaveLength(1);
  return join(directory, entries[0] as string);
}

/** Starts `stem train` and SIGKILLs it once a mid-epoch checkpoint is on disk. */
async function trainAndKill(
  outputDirectory: string,
  env: NodeJS.ProcessEnv,
): Promise<{ killedAt: { epoch: number; stepInEpoch: number; globalStep: number } }> {
  const child = spawn(
    process.execPath,
    [
      join(cliRoot, 'bin', 'run.js'),
      'train',
      '-c',
      config,
      '--set',
      `output.directory=${outputDirectory}`,
    ],
    {
      cwd: repositoryRoot,
      env: { ...process.env, ...env },
      stdio: 'ignore',
    },
  );
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  let finished = false;
  void exited.then(() => (finished = true));
  while (!finished) {
    const [run] = existsSync(outputDirectory) ? await readdir(outputDirectory) : [];
    const stateFile = run
      ? join(outputDirectory, run, 'checkpoints', 'last', 'state.json')
      : undefined;
    if (stateFile && existsSync(stateFile)) {
      try {
        const state = JSON.parse(await readFile(stateFile, 'utf8'));
        if (state.stepInEpoch > 0) {
          child.kill('SIGKILL');
          await exited;
          return { killedAt: state };
        }
      } catch {
        // Read between the atomic rename and the next write: try again.
      }
    }
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
  throw new Error('the run finished before a mid-epoch checkpoint could be interrupted');
}

describe('stem train / evaluate / predict', () => {
  let env: NodeJS.ProcessEnv;
  let work: string;
  let uninterrupted: TrainResult;

  beforeAll(async () => {
    env = await isolatedHome();
    work = await mkdtemp(join(tmpdir(), 'stem-train-'));
    const run = await runStem(
      ['train', '-c', config, '--set', `output.directory=${join(work, 'whole')}`, '--json'],
      env,
    );
    expect(run.code, run.stderr).toBe(0);
    uninterrupted = envelope<TrainResult>(run).result;
  });

  it('trains, reports dev/test accuracy and writes a complete run directory', async () => {
    expect(uninterrupted.test.pos?.scores.accuracy).toBeGreaterThan(0.3);
    const directory = uninterrupted.runDirectory;
    for (const file of [
      'manifest.json',
      'metrics.ndjson',
      'labels.json',
      'results.json',
      'checkpoints/best/state.json',
      'checkpoints/last/state.json',
    ]) {
      expect(existsSync(join(directory, file)), file).toBe(true);
    }
    const manifest = JSON.parse(await readFile(join(directory, 'manifest.json'), 'utf8'));
    expect(manifest).toMatchObject({
      seed: 7,
      config: { seed: 7, trainer: { epochs: 2 } },
      backend: { device: expect.any(String) },
    });
    expect(manifest.plugins.map((p: { name: string }) => p.name)).toEqual(
      expect.arrayContaining(['@stem/task-pos', '@stem/encoder-transformer', '@stem/data']),
    );
    const events = (await readFile(join(directory, 'metrics.ndjson'), 'utf8'))
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line));
    const devEvents = events.filter((e) => e.event === 'dev');
    expect(devEvents).toHaveLength(2);
    // Memory: the live tensor count after each epoch's evaluation does not grow.
    expect(new Set(devEvents.map((e) => e.tensors)).size).toBe(1);
  });

  it('resumes a run killed with SIGKILL mid-epoch and ends with exactly the same metrics', async () => {
    const output = join(work, 'killed');
    const { killedAt } = await trainAndKill(output, env);
    expect(killedAt.stepInEpoch).toBeGreaterThan(0);
    const directory = await onlyRunIn(output);
    expect(existsSync(join(directory, 'results.json'))).toBe(false);

    const resumed = await runStem(['train', '--resume', directory, '--json'], env);
    expect(resumed.code, resumed.stderr).toBe(0);
    const result = envelope<TrainResult>(resumed).result;
    expect({ best: result.best, dev: result.dev, test: result.test }).toEqual({
      best: uninterrupted.best,
      dev: uninterrupted.dev,
      test: uninterrupted.test,
    });
  });

  it('restarts a run killed before its first checkpoint from step 0 and says so', async () => {
    // What a kill during data loading leaves: the manifest, an empty checkpoints folder,
    // no labels.json, no metrics.
    const directory = join(work, 'early', 'pos-tiny-killed-s7');
    await mkdir(join(directory, 'checkpoints'), { recursive: true });
    await copyFile(
      join(uninterrupted.runDirectory, 'manifest.json'),
      join(directory, 'manifest.json'),
    );
    const restarted = await runStem(['train', '--resume', directory, '--json'], env);
    expect(restarted.code, restarted.stderr).toBe(0);
    expect(restarted.stderr).toMatch(/has no checkpoint yet .*restarting it from step 0/);
    const result = envelope<TrainResult>(restarted).result;
    expect(result.runDirectory).toBe(directory);
    expect({ best: result.best, dev: result.dev, test: result.test }).toEqual({
      best: uninterrupted.best,
      dev: uninterrupted.dev,
      test: uninterrupted.test,
    });
    expect(existsSync(join(directory, 'labels.json'))).toBe(true);
  });

  it('evaluates the best checkpoint on test with the score training reported', async () => {
    const run = await runStem(
      ['evaluate', uninterrupted.runDirectory, '--split', 'test', '--json'],
      env,
    );
    expect(run.code, run.stderr).toBe(0);
    expect(envelope<{ scores: TrainResult['test'] }>(run).result.scores).toEqual(
      uninterrupted.test,
    );
  });

  it('predicts POS tags for text and CoNLL-U input, writing CoNLL-U', async () => {
    const input = join(work, 'sentences.txt');
    await writeFile(input, 'The dog saw a cat .\n\nShe wrote to him yesterday !\n');
    const output = join(work, 'predicted.conllu');
    const run = await runStem(
      ['predict', uninterrupted.runDirectory, '--input', input, '--output', output],
      env,
    );
    expect(run.code, run.stderr).toBe(0);
    const labels = JSON.parse(
      await readFile(join(uninterrupted.runDirectory, 'labels.json'), 'utf8'),
    ).pos.tags as string[];
    const rows = (await readFile(output, 'utf8'))
      .split('\n')
      .filter((line) => /^\d+\t/.test(line))
      .map((line) => line.split('\t'));
    expect(rows.map((r) => r[1])).toEqual([
      'The',
      'dog',
      'saw',
      'a',
      'cat',
      '.',
      'She',
      'wrote',
      'to',
      'him',
      'yesterday',
      '!',
    ]);
    for (const row of rows) expect(labels).toContain(row[4]);

    const conllu = join(work, 'input.conllu');
    await writeFile(
      conllu,
      '# sent_id = x1\n1\tHello\t_\t_\t_\t_\t_\t_\t_\t_\n2\tthere\t_\t_\t_\t_\t_\t_\t_\t_\n\n',
    );
    const fromConllu = await runStem(
      ['predict', uninterrupted.runDirectory, '--input', conllu, '--json'],
      env,
    );
    expect(fromConllu.code, fromConllu.stderr).toBe(0);
    const predicted = envelope<{
      predictions: Array<{ id: string; annotations: { pos: string[] } }>;
    }>(fromConllu).result.predictions;
    expect(predicted).toHaveLength(1);
    expect(predicted[0]?.id).toBe('x1');
    expect(predicted[0]?.annotations.pos).toHaveLength(2);
  });

  it('trains several tasks on several corpora in one run (MTL), one task per batch', async () => {
    const output = join(work, 'mtl');
    const mtlConfig = fileURLToPath(new URL('./fixtures/configs/mtl-tiny.yaml', import.meta.url));
    const run = await runStem(
      ['train', '-c', mtlConfig, '--set', `output.directory=${output}`, '--json'],
      env,
    );
    expect(run.code, run.stderr).toBe(0);
    const result = envelope<TrainResult>(run).result;
    expect(Object.keys(result.test)).toEqual(['xpos', 'upos']);
    const events = (await readFile(join(result.runDirectory, 'metrics.ndjson'), 'utf8'))
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line));
    const updates = events.filter((e) => e.event === 'update');
    const start = events.find((e) => e.event === 'start');
    expect(start.tasks.map((t: { name: string }) => t.name)).toEqual(['xpos', 'upos']);
    expect(updates).toHaveLength(2 * start.stepsPerEpoch);
    for (const task of ['xpos', 'upos']) {
      const batches = start.tasks.find((t: { name: string }) => t.name === task).batches;
      // Each epoch visits every batch of a task about once: p_t ~ N_t^0.8 over sum_t N_t draws.
      expect(updates.filter((e) => e.task === task).length).toBeGreaterThan(batches);
    }
    expect(updates.some((e) => e.weight !== 1)).toBe(true);

    // Both tasks write CoNLL-U, so predictions go into one file: XPOS from one head, UPOS from
    // the other, every other column of the input kept.
    const input = join(work, 'mtl-input.conllu');
    const text =
      "# sent_id = m1\n# text = Don't go\n1-2\tDon't\t_\t_\t_\t_\t_\t_\t_\t_\n" +
      "1\tDo\tdo\t_\t_\tMood=Imp\t3\taux\t_\t_\n2\tn't\tnot\t_\t_\t_\t3\tadvmod\t_\t_\n" +
      '3\tgo\tgo\t_\t_\t_\t0\troot\t_\tSpaceAfter=No\n\n';
    await writeFile(input, text);
    const predicted = join(work, 'mtl-predicted.conllu');
    const predict = await runStem(
      ['predict', result.runDirectory, '--input', input, '--output', predicted, '--json'],
      env,
    );
    expect(predict.code, predict.stderr).toBe(0);
    expect(envelope<{ outputs: unknown[] }>(predict).result.outputs).toEqual([
      { tasks: ['xpos', 'upos'], format: 'conllu', file: predicted },
    ]);
    const labels = JSON.parse(await readFile(join(result.runDirectory, 'labels.json'), 'utf8'));
    const rows = (await readFile(predicted, 'utf8')).split('\n');
    const before = text.split('\n');
    expect(rows).toHaveLength(before.length);
    rows.forEach((row, i) => {
      const [got, had] = [row.split('\t'), before[i]!.split('\t')];
      if (!/^\d+\t/.test(before[i]!)) return expect(row).toBe(before[i]);
      expect(labels.upos.tags).toContain(got[3]);
      expect(labels.xpos.tags).toContain(got[4]);
      expect([...got.slice(0, 3), ...got.slice(5)]).toEqual([...had.slice(0, 3), ...had.slice(5)]);
    });
    const wrong = await runStem(
      ['predict', result.runDirectory, '--input', input, '--format', 'upos=bio'],
      env,
    );
    expect(wrong.code).not.toBe(0);
    expect(wrong.stderr).toMatch(
      /task "upos" \(stem\.task\.pos\.softmax\.v1\) has no prediction format "bio"/,
    );
    expect(wrong.stderr).toMatch(/writes conllu/);
  });

  it('validates the example configs users copy', async () => {
    const tiny = await runStem(['config', 'validate', 'examples/pos-ewt-tiny.yaml', '--json'], env);
    expect(tiny.code, tiny.stderr).toBe(0);
    // The checkout has no models/tiny-bert (the example says how to make it): validation
    // reaches the directory the config names and reports exactly that field and its line.
    const hf = await runStem(['config', 'validate', 'examples/pos-ewt-hf.yaml', '--json'], env);
    expect(hf.code).toBe(1);
    const error = envelope(hf).error!;
    expect(error.code).toBe('CONFIG_INVALID');
    expect(error.message).toMatch(
      /examples\/pos-ewt-hf\.yaml:17: encoder\.path: model directory models\/tiny-bert does not exist/,
    );
    expect(error.message.trim().split('\n')).toHaveLength(2);
    expect(error.hint).toMatch(/fetch the missing model/);
  });

  it('rejects invalid configs before training, naming the field', async () => {
    const cases: Array<[string, RegExp]> = [
      [
        'tasks.pos.type=stem.task.nope.v1',
        /tasks\.pos\.type: unknown task "stem\.task\.nope\.v1"; registered tasks: .*stem\.task\.pos\.softmax\.v1/,
      ],
      ['trainer.epochs=many', /trainer\.epochs: .*expected (int|number)/],
      [
        'tasks.pos.dataset.path=/nonexistent/ud',
        /pos-tiny\.yaml:\d+: tasks\.pos\.dataset\.path: dataset path \/nonexistent\/ud does not exist/,
      ],
      [
        'encoder.architecture.tokenizer=examples/tokenizers/absent',
        /pos-tiny\.yaml:13: encoder\.architecture\.tokenizer: tokenizer directory examples\/tokenizers\/absent does not exist/,
      ],
      // The folder exists but holds no treebank: found only while building, which comes
      // before the run directory is created.
      [
        `tasks.pos.dataset.path=${tmpdir()}`,
        /tasks\.pos\.dataset \(stem\.dataset\.ud-ewt\.v1\), train split/,
      ],
    ];
    for (const [override, message] of cases) {
      const output = join(work, `invalid-${cases.findIndex((c) => c[0] === override)}`);
      const run = await runStem(
        ['train', '-c', config, '--set', override, '--set', `output.directory=${output}`],
        env,
      );
      expect(run.code, override).not.toBe(0);
      expect(run.stderr, override).toMatch(message);
      // Nothing is created for a run that cannot start, not even an empty run directory.
      const runs = existsSync(output) ? await readdir(output) : [];
      expect(runs, override).toEqual([]);
    }
  });
});
