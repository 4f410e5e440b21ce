/**
 * The `--json` error contract (README, "--json and error codes"): each documented failure,
 * driven through the CLI as a user would, exits non-zero with its documented code, a
 * message naming the file and line or the config field, and a hint.
 */
import { cp, mkdir, mkdtemp, readFile, truncate, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import { ERROR_CODES } from '../src/base-command.js';
import { envelope, isolatedHome, repositoryRoot, runStem } from './run-stem.js';

const posTiny = fileURLToPath(new URL('./fixtures/configs/pos-tiny.yaml', import.meta.url));

interface Failure {
  name: string;
  args: (work: string) => Promise<string[]>;
  exit: number;
  code: keyof typeof ERROR_CODES;
  /** What the message must name: file and line, or config field. */
  names: RegExp;
}

async function file(work: string, name: string, content: string | Uint8Array): Promise<string> {
  const path = join(work, name);
  await mkdir(join(path, '..'), { recursive: true });
  await writeFile(path, content);
  return path;
}

/** A run directory that holds only a manifest (the resolved pos-tiny config). */
async function runWithManifest(work: string, name: string, manifest: string): Promise<string> {
  const directory = join(work, name);
  await mkdir(join(directory, 'checkpoints'), { recursive: true });
  await writeFile(join(directory, 'manifest.json'), manifest);
  return directory;
}

const FAILURES: Failure[] = [
  {
    name: 'YAML syntax error',
    args: async (w) => [
      'config',
      'validate',
      await file(w, 'syntax.yaml', 'name: x\n  seed: [1\n'),
    ],
    exit: 1,
    code: 'CONFIG_INVALID',
    names: /syntax\.yaml:\d+: /,
  },
  {
    name: 'tokenizer directory that does not exist',
    args: async () => [
      'config',
      'validate',
      posTiny,
      '--set',
      'encoder.architecture.tokenizer=examples/tokenizers/absent',
    ],
    exit: 1,
    code: 'CONFIG_INVALID',
    names: /pos-tiny\.yaml:13: encoder\.architecture\.tokenizer: /,
  },
  {
    name: 'malformed CoNLL-U line',
    args: async (w) => [
      'predict',
      join(w, 'no-run'),
      '--input',
      await file(w, 'bad.conllu', '1\tThe\tthe\tDET\n\n'),
    ],
    exit: 1,
    code: 'DATA_FORMAT',
    names: /bad\.conllu:1: /,
  },
  {
    name: 'corpus that is not there',
    args: async (w) => ['data', 'stats', 'ud-ewt', '--path', join(w, 'nothing-here')],
    exit: 1,
    code: 'DATA_NOT_FOUND',
    names: /nothing-here/,
  },
  {
    name: 'malformed line in a corpus (data stats)',
    args: async (w) => {
      await file(w, 'bad-corpus/train.conllu', '1\tThe\tthe\tDET\n\n');
      return ['data', 'stats', 'conllu-files', '--path', join(w, 'bad-corpus')];
    },
    exit: 1,
    code: 'DATA_FORMAT',
    names: /bad-corpus\/train\.conllu:1: /,
  },
  {
    name: 'corpus path that is a file where a folder is expected',
    args: async (w) => [
      'data',
      'stats',
      'conllu-files',
      '--path',
      await file(w, 'one-file.conllu', '1\tThe\tthe\tDET\tDT\t_\t0\troot\t_\t_\n\n'),
    ],
    exit: 1,
    code: 'FILE_UNREADABLE',
    names: /one-file\.conllu: cannot be read as the corpus \(ENOTDIR\)/,
  },
  {
    name: 'probe result that is not one',
    args: async (w) => [
      'probe',
      'compare',
      await file(w, 'not-probe-a.json', '{"format":"x"}'),
      await file(w, 'not-probe-b.json', '{"format":"x"}'),
    ],
    exit: 1,
    code: 'INPUT_INVALID',
    names: /not-probe-a\.json: not a probe result/,
  },
  {
    name: 'unknown dataset',
    args: async () => ['data', 'stats', 'no-such-corpus'],
    exit: 1,
    code: 'UNKNOWN_DATASET',
    names: /no-such-corpus/,
  },
  {
    name: 'binary prediction input',
    args: async (w) => [
      'predict',
      join(w, 'no-run'),
      '--input',
      await file(w, 'binary.txt', Buffer.from([0x7f, 0x45, 0x4c, 0x46, 0x02, 0x01, 0x00, 0x00])),
    ],
    exit: 1,
    code: 'INPUT_INVALID',
    names: /binary\.txt:1: .*NUL bytes/,
  },
  {
    name: 'prediction input that is not UTF-8',
    args: async (w) => [
      'predict',
      join(w, 'no-run'),
      '--input',
      await file(w, 'latin1.txt', Buffer.from('The caf\xe9 opens .\n', 'latin1')),
    ],
    exit: 1,
    code: 'INPUT_INVALID',
    names: /latin1\.txt:1: .*not valid UTF-8 \(byte 7\)/,
  },
  {
    name: 'empty prediction input',
    args: async (w) => ['predict', join(w, 'no-run'), '--input', await file(w, 'empty.txt', '')],
    exit: 1,
    code: 'INPUT_INVALID',
    names: /empty\.txt: .*empty/,
  },
  {
    name: 'model directory whose config.json is not JSON',
    args: async (w) => {
      const model = join(w, 'broken-model');
      await file(
        w,
        'broken-model/config.json',
        '{\n  "model_type": "bert",\n  hidden_size: 8\n}\n',
      );
      return ['model', 'inspect', model];
    },
    exit: 1,
    code: 'JSON_INVALID',
    names: /broken-model\/config\.json:3:3: not valid JSON/,
  },
  {
    name: 'run whose manifest.json is not JSON',
    args: async (w) => [
      'evaluate',
      await runWithManifest(w, 'bad-manifest', '{"config": {'),
      '--split',
      'dev',
    ],
    exit: 1,
    code: 'JSON_INVALID',
    names: /bad-manifest\/manifest\.json:1:13: not valid JSON/,
  },
  {
    name: 'run without labels.json',
    args: async (w) => ['evaluate', join(w, 'no-labels'), '--split', 'dev'],
    exit: 1,
    code: 'FILE_UNREADABLE',
    names: /no-labels\/labels\.json is missing/,
  },
  {
    name: 'resume of a directory that is not a run',
    args: async (w) => ['train', '--resume', join(w, 'not-a-run')],
    exit: 1,
    code: 'RUN_INVALID',
    names: /not-a-run does not exist/,
  },
  {
    name: 'output folder that cannot be written',
    args: async (w) => [
      'train',
      '-c',
      posTiny,
      '--set',
      `output.directory=${await file(w, 'occupied', 'a file, not a folder')}/runs`,
    ],
    exit: 1,
    code: 'WRITE_FAILED',
    names: /cannot write .*occupied\/runs\/pos-tiny-/,
  },
  {
    name: 'model directory without config.json',
    args: async (w) => {
      await mkdir(join(w, 'empty-model'), { recursive: true });
      return ['model', 'inspect', join(w, 'empty-model')];
    },
    exit: 1,
    code: 'MODEL_INVALID',
    names: /empty-model\/config\.json does not exist/,
  },
  {
    name: 'model directory whose model.safetensors is truncated',
    args: async (w) => {
      const model = join(w, 'truncated-model');
      await cp(join(repositoryRoot, 'plugins/encoder-transformer/test/fixtures/tiny-bert'), model, {
        recursive: true,
      });
      await truncate(join(model, 'model.safetensors'), 100);
      return ['model', 'attend', model, '--text', 'The cat'];
    },
    exit: 1,
    code: 'WEIGHTS_INVALID',
    names: /truncated-model\/model\.safetensors: header length \d+ exceeds the file size/,
  },
  {
    name: 'model inspect of a truncated model.safetensors (it describes the rest, then fails)',
    args: async (w) => {
      const model = join(w, 'truncated-inspected');
      await cp(join(repositoryRoot, 'plugins/encoder-transformer/test/fixtures/tiny-bert'), model, {
        recursive: true,
      });
      await truncate(join(model, 'model.safetensors'), 100);
      return ['model', 'inspect', model];
    },
    exit: 1,
    code: 'WEIGHTS_INVALID',
    names: /truncated-inspected\/model\.safetensors: header length \d+ exceeds the file size/,
  },
  {
    name: '--set on a resumed run',
    args: async (w) => ['train', '--resume', join(w, 'not-a-run'), '--set', 'seed=3'],
    exit: 1,
    code: 'STEM_ERROR',
    names: /--set cannot change a run being resumed/,
  },
  {
    name: 'missing required flag',
    args: async () => ['predict', 'some-run'],
    exit: 1,
    code: 'USAGE',
    names: /input/,
  },
];

describe('the --json error contract', () => {
  let env: NodeJS.ProcessEnv;
  let work: string;

  beforeAll(async () => {
    env = await isolatedHome();
    work = await mkdtemp(join(tmpdir(), 'stem-errors-'));
    // A run directory as a kill during model building leaves it: a valid manifest, no labels.
    const validated = await runStem(['config', 'validate', posTiny, '--json'], env);
    expect(validated.code, validated.stderr).toBe(0);
    const config = envelope<{ config: unknown }>(validated).result.config;
    await runWithManifest(work, 'no-labels', JSON.stringify({ format: 1, config }));
  });

  it('documents every code it raises in the README', async () => {
    const readme = await readFile(join(repositoryRoot, 'README.md'), 'utf8');
    for (const code of Object.keys(ERROR_CODES)) expect(readme).toContain(`| \`${code}\``);
    for (const failure of FAILURES) expect(Object.keys(ERROR_CODES)).toContain(failure.code);
  });

  it.each(FAILURES)('$name: exit $exit, $code, names where, gives a hint', async (failure) => {
    const run = await runStem([...(await failure.args(work)), '--json'], env);
    expect(run.code, run.stderr).toBe(failure.exit);
    const { ok, error } = envelope(run);
    expect(ok).toBe(false);
    expect(error?.code, error?.message).toBe(failure.code);
    expect(error?.message).toMatch(failure.names);
    expect(error?.hint?.length).toBeGreaterThan(10);
  });

  it('prints the same message and hint on stderr without --json', async () => {
    const input = await file(work, 'binary2.txt', Buffer.from([0x41, 0x00]));
    const run = await runStem(['predict', join(work, 'no-run'), '--input', input], env);
    expect(run.code).toBe(1);
    expect(run.stdout).toBe('');
    expect(run.stderr).toMatch(/error: .*binary2\.txt:1: .*NUL bytes[\s\S]*\nhint: /);
  });
});
