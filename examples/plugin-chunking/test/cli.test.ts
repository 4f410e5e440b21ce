/**
 * The plugin as a user gets it: packed like a publisher would, added to the workspace CLI with
 * `stem plugins:add`, then `stem train` on the example config and `stem predict` in the
 * plugin's own format. Needs the built CLI (apps/cli) of the workspace.
 */
import { execFile, execFileSync } from 'node:child_process';
import { mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import { CHUNK_TASK_ID, CONLL2000_DATASET_ID } from '../src/chunk-config.js';
import { parseConll2000 } from '../src/conll2000.js';
import { SAMPLE_DIRECTORY } from '../src/conll2000-dataset.js';
import { tagsToChunks } from '../src/chunk-tags.js';

const packageDirectory = fileURLToPath(new URL('..', import.meta.url));
const repositoryRoot = fileURLToPath(new URL('../../..', import.meta.url));
const stemBin = join(repositoryRoot, 'apps', 'cli', 'bin', 'run.js');

interface StemRun {
  code: number;
  stdout: string;
  stderr: string;
}

/** Runs the workspace CLI in a separate process from the repository root. */
function stem(args: string[], env: NodeJS.ProcessEnv): Promise<StemRun> {
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      [stemBin, ...args],
      {
        cwd: repositoryRoot,
        env: { ...process.env, ...env, NO_COLOR: '1' },
        maxBuffer: 64 * 1024 * 1024,
        timeout: 300_000,
      },
      (error, stdout, stderr) =>
        resolve({
          code: error ? (typeof error.code === 'number' ? error.code : 1) : 0,
          stdout,
          stderr,
        }),
    );
  });
}

function resultOf<T>(run: StemRun): T {
  try {
    return (JSON.parse(run.stdout) as { result: T }).result;
  } catch {
    throw new Error(`stdout is not JSON (exit ${run.code}):\n${run.stdout}\n${run.stderr}`);
  }
}

interface Scores {
  primary: string;
  scores: Record<string, number>;
}

describe('@stem-community/task-chunk through the stem CLI', () => {
  let env: NodeJS.ProcessEnv;
  let work: string;
  let runDirectory: string;
  let trained: { dev: Record<string, Scores>; test: Record<string, Scores> };

  beforeAll(async () => {
    work = await mkdtemp(join(tmpdir(), 'stem-chunk-'));
    // Private oclif directories: the plugin is installed only for this test.
    env = {
      STEM_DATA_DIR: join(work, 'data'),
      STEM_CACHE_DIR: join(work, 'cache'),
      STEM_CONFIG_DIR: join(work, 'config'),
    };
    const packed = execFileSync('npm', ['pack', '--pack-destination', work, '--silent'], {
      cwd: packageDirectory,
      encoding: 'utf8',
    });
    const tarball = join(work, packed.trim().split('\n').pop() as string);
    const add = await stem(['plugins:add', `file:${tarball}`], env);
    expect(add.code, add.stderr).toBe(0);

    const train = await stem(
      [
        'train',
        '-c',
        'examples/plugin-chunking/chunk-tiny.yaml',
        '--set',
        'trainer.epochs=2',
        '--set',
        `output.directory=${work}/runs`,
        '--json',
      ],
      env,
    );
    expect(train.code, train.stderr).toBe(0);
    const result = resultOf<typeof trained & { runDirectory: string }>(train);
    trained = result;
    runDirectory = result.runDirectory;
  });

  it('lists the dataset and the task of the added plugin', async () => {
    const info = resultOf<{
      components: Record<string, Array<{ id: string; plugin: string }>>;
    }>(await stem(['info', '--json'], env));
    expect(info.components.tasks).toContainEqual(
      expect.objectContaining({ id: CHUNK_TASK_ID, plugin: '@stem-community/task-chunk' }),
    );
    expect(info.components.datasets).toContainEqual(
      expect.objectContaining({ id: CONLL2000_DATASET_ID, plugin: '@stem-community/task-chunk' }),
    );
  });

  it('trains on the plugin dataset and scores chunk F1 over the sample dev and test chunks', async () => {
    for (const split of ['dev', 'test'] as const) {
      const chunk = trained[split].chunk!;
      expect(chunk.primary).toBe('f1');
      expect(chunk.scores.f1).toBeGreaterThanOrEqual(0);
      expect(chunk.scores.f1).toBeLessThanOrEqual(1);
    }
    const labels = JSON.parse(await readFile(join(runDirectory, 'labels.json'), 'utf8'));
    expect(labels.chunk.tags.slice(0, 3)).toEqual(['O', 'B-NP', 'I-NP']);
  });

  it('predicts in the plugin format: CoNLL-2000 columns from text, XPOS kept from CoNLL-U', async () => {
    const test = parseConll2000(
      await readFile(join(SAMPLE_DIRECTORY, 'test.txt'), 'utf8'),
      'test.txt',
    );
    const input = join(work, 'sentences.txt');
    await writeFile(input, test.map((s) => s.words.join(' ') + '\n').join(''));
    const output = join(work, 'predicted.txt');
    const run = await stem(
      ['predict', runDirectory, '--input', input, '--format', 'conll2000', '--output', output],
      env,
    );
    expect(run.code, run.stderr).toBe(0);
    const predicted = parseConll2000(await readFile(output, 'utf8'), output);
    expect(predicted.map((s) => s.words)).toEqual(test.map((s) => s.words));
    // Text has no POS: the column is `_`; every tag sequence reads as valid chunks.
    for (const sentence of predicted) {
      expect(new Set(sentence.pos)).toEqual(new Set(['_']));
      expect(() => tagsToChunks(sentence.tags)).not.toThrow();
    }

    const conllu = join(work, 'sentences.conllu');
    await writeFile(
      conllu,
      test
        .map(
          (s) =>
            s.words.map((w, i) => `${i + 1}\t${w}\t_\t_\t${s.pos[i]}\t_\t_\t_\t_\t_\n`).join('') +
            '\n',
        )
        .join(''),
    );
    const brackets = await stem(
      ['predict', runDirectory, '--input', conllu, '--format', 'chunk=conll2000'],
      env,
    );
    expect(brackets.code, brackets.stderr).toBe(0);
    const fromConllu = parseConll2000(brackets.stdout, 'stdout');
    expect(fromConllu.map((s) => s.pos)).toEqual(test.map((s) => s.pos));
  });

  it("feeds the plugin dataset's pos layer to core's POS task in the same run (MTL)", async () => {
    const run = await stem(
      [
        'train',
        '-c',
        'examples/plugin-chunking/chunk-tiny.yaml',
        '--set',
        'tasks.pos.type=stem.task.pos.softmax.v1',
        '--set',
        `tasks.pos.dataset.type=${CONLL2000_DATASET_ID}`,
        '--set',
        'trainer.epochs=1',
        '--set',
        `output.directory=${work}/runs`,
        '--json',
      ],
      env,
    );
    expect(run.code, run.stderr).toBe(0);
    const result = resultOf<{ dev: Record<string, Scores> }>(run);
    expect(result.dev.chunk!.primary).toBe('f1');
    expect(result.dev.pos!.primary).toBe('accuracy');
    // Every dev word of the sample is scored.
    const dev = parseConll2000(await readFile(join(SAMPLE_DIRECTORY, 'dev.txt'), 'utf8'), 'dev');
    expect(result.dev.pos!.scores.tokens).toBe(dev.reduce((n, s) => n + s.words.length, 0));
  });

  it('refuses a dataset without the chunks layer, naming the dataset that provides it', async () => {
    const run = await stem(
      [
        'train',
        '-c',
        'examples/plugin-chunking/chunk-tiny.yaml',
        '--set',
        'tasks.chunk.dataset.type=stem.dataset.ud-ewt.v1',
        '--set',
        'tasks.chunk.limit.train=20',
        '--set',
        `output.directory=${work}/runs`,
        '--json',
      ],
      env,
    );
    expect(run.code).not.toBe(0);
    const error = (JSON.parse(run.stdout) as { error: { message: string; hint: string } }).error;
    expect(error.message).toMatch(
      /^tasks\.chunk \(stem-community\.task\.chunk\.v1\): no training sentence carries the chunks layer; use a dataset that provides it, such as stem-community\.dataset\.conll2000\.v1/,
    );
  });
});
