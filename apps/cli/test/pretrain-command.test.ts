import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, readdir, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseSafetensors, readSafetensors, safetensors, selectBackend } from '@stem/core';
import { conlluToSentence, parseConllu, udFile } from '@stem/data';
import { TransformerEncoder, seededSource } from '@stem/encoder-transformer';
import { beforeAll, describe, expect, it } from 'vitest';
import { cliRoot, envelope, isolatedHome, repositoryRoot, runStem } from './run-stem.js';

const config = fileURLToPath(new URL('./fixtures/configs/mlm-tiny.yaml', import.meta.url));

interface PretrainResult {
  runDirectory: string;
  encoderDirectory: string;
  headTensors: string[];
  best: { score: number; epoch: number };
  dev: Record<string, { primary: string; scores: Record<string, number> }>;
  test: Record<string, { primary: string; scores: Record<string, number> }>;
}

/** Plain text from the UD EWT training split: one sentence per line. */
async function writeText(directory: string): Promise<void> {
  const file = udFile('en_ewt', 'train');
  const lines = parseConllu(await readFile(file, 'utf8'), file)
    .sentences.slice(0, 520)
    .map((s) => conlluToSentence(s).words.join(' '));
  await mkdir(directory, { recursive: true });
  await writeFile(join(directory, 'train.txt'), `${lines.slice(0, 400).join('\n')}\n`);
  await writeFile(join(directory, 'dev.txt'), `${lines.slice(400, 460).join('\n')}\n`);
  await writeFile(join(directory, 'test.txt'), `${lines.slice(460).join('\n')}\n`);
}

describe('stem pretrain', () => {
  let env: NodeJS.ProcessEnv;
  let work: string;
  let text: string;
  let whole: PretrainResult;

  beforeAll(async () => {
    env = await isolatedHome();
    work = await mkdtemp(join(tmpdir(), 'stem-pretrain-'));
    text = join(work, 'text');
    await writeText(text);
    const run = await runStem(
      [
        'pretrain',
        '-c',
        config,
        '--set',
        `paths.text=${text}`,
        '--set',
        `output.directory=${join(work, 'whole')}`,
        '--json',
      ],
      env,
    );
    expect(run.code, run.stderr).toBe(0);
    whole = envelope<PretrainResult>(run).result;
  }, 300_000);

  it('trains the masked-LM task on raw text and saves a Hugging Face directory with cls.predictions', async () => {
    const scores = whole.dev.mlm?.scores ?? {};
    // Far below the loss of guessing uniformly over the 8k vocabulary (ln 8000 = 9.0 nats).
    expect(scores.loss).toBeLessThan(Math.log(8000) - 1);
    expect(scores.perplexity).toBeCloseTo(Math.exp(scores.loss as number), 6);
    expect(scores.masked).toBeGreaterThan(50);
    const directory = whole.encoderDirectory;
    expect(directory).toBe(join(whole.runDirectory, 'encoder'));
    for (const file of ['config.json', 'model.safetensors', 'vocab.txt'])
      expect(existsSync(join(directory, file)), file).toBe(true);
    const { tensors } = parseSafetensors(await readFile(join(directory, 'model.safetensors')));
    expect(whole.headTensors).toEqual([
      'cls.predictions.bias',
      'cls.predictions.transform.LayerNorm.bias',
      'cls.predictions.transform.LayerNorm.weight',
      'cls.predictions.transform.dense.bias',
      'cls.predictions.transform.dense.weight',
    ]);
    const vocabulary = tensors.get('embeddings.word_embeddings.weight')?.shape[0];
    expect(tensors.get('cls.predictions.bias')?.shape).toEqual([vocabulary]);
    expect(tensors.get('cls.predictions.transform.dense.weight')?.shape).toEqual([32, 32]);
    // Tied: the decoder weight is the word-embedding matrix, stored once (as Hugging Face does).
    expect(tensors.has('cls.predictions.decoder.weight')).toBe(false);
  });

  it('saves an encoder that encoder.path reloads with the outputs of the run’s best checkpoint', async () => {
    const { tf } = await selectBackend('js');
    const fromDirectory = await TransformerEncoder.load(
      tf,
      whole.encoderDirectory,
      seededSource(1),
      { safetensors },
    );
    const fromRun = await TransformerEncoder.load(tf, whole.encoderDirectory, seededSource(2), {
      safetensors,
      randomWeights: true,
    });
    const best = join(whole.runDirectory, 'checkpoints', 'best');
    const state = JSON.parse(await readFile(join(best, 'state.json'), 'utf8'));
    const { tensors } = await readSafetensors(tf, join(best, state.weightsFile));
    fromRun.loadWeights(
      Object.fromEntries(
        Object.entries(tensors)
          .filter(([name]) => name.startsWith('encoder/'))
          .map(([name, tensor]) => [name.slice('encoder/'.length), tensor]),
      ),
    );
    tf.dispose(Object.values(tensors));
    const batch = await fromDirectory.tokenize([
      ['The', 'dog', 'saw', 'a', 'cat', '.'],
      ['Pretraining', 'works', '!'],
    ]);
    const [a, b] = [fromDirectory, fromRun].map((encoder) =>
      tf.tidy(() => encoder.encode(batch, { training: false }).wordVectors.arraySync()),
    );
    expect(a).toEqual(b);
    fromDirectory.dispose();
    fromRun.dispose();
  });

  it('resumes a pretraining run killed mid-epoch and ends with exactly the same scores and weights', async () => {
    const output = join(work, 'killed');
    const child = spawn(
      process.execPath,
      [
        join(cliRoot, 'bin', 'run.js'),
        'pretrain',
        '-c',
        config,
        '--set',
        `paths.text=${text}`,
        '--set',
        `output.directory=${output}`,
      ],
      { cwd: repositoryRoot, env: { ...process.env, ...env }, stdio: 'ignore' },
    );
    const exited = new Promise<void>((resolve) => child.on('exit', () => resolve()));
    let finished = false;
    void exited.then(() => (finished = true));
    let killed = false;
    while (!finished && !killed) {
      const [run] = existsSync(output) ? await readdir(output) : [];
      const stateFile = run ? join(output, run, 'checkpoints', 'last', 'state.json') : undefined;
      if (stateFile && existsSync(stateFile)) {
        try {
          if (JSON.parse(await readFile(stateFile, 'utf8')).stepInEpoch > 0) {
            child.kill('SIGKILL');
            killed = true;
          }
        } catch {
          // Read between the atomic rename and the next write: try again.
        }
      }
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
    await exited;
    expect(killed, 'the run finished before a mid-epoch checkpoint could be interrupted').toBe(
      true,
    );
    const [name] = await readdir(output);
    const directory = join(output, name as string);
    expect(existsSync(join(directory, 'encoder'))).toBe(false);
    const resumed = await runStem(['pretrain', '--resume', directory, '--json'], env);
    expect(resumed.code, resumed.stderr).toBe(0);
    const result = envelope<PretrainResult>(resumed).result;
    expect({ best: result.best, dev: result.dev, test: result.test }).toEqual({
      best: whole.best,
      dev: whole.dev,
      test: whole.test,
    });
    expect(await readFile(join(result.encoderDirectory, 'model.safetensors'))).toEqual(
      await readFile(join(whole.encoderDirectory, 'model.safetensors')),
    );
    // Two pretraining processes on a busy 2-core machine.
  }, 300_000);

  it('refuses a config without a masked-LM task or with word dropout on', async () => {
    const pos = fileURLToPath(new URL('./fixtures/configs/pos-tiny.yaml', import.meta.url));
    const noMlm = await runStem(['pretrain', '-c', pos, '--json'], env);
    expect(noMlm.code).not.toBe(0);
    expect(envelope(noMlm).error?.message).toMatch(/no task of type stem\.task\.mlm\.v1/);
    const dropout = await runStem(
      ['pretrain', '-c', config, '--set', `paths.text=${text}`, '--set', 'encoder.wordDropout=0.1'],
      env,
    );
    expect(dropout.code).not.toBe(0);
    expect(dropout.stderr).toMatch(/encoder\.wordDropout is 0\.1.*set encoder\.wordDropout: 0/s);
  });
});
