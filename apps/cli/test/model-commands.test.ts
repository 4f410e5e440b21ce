import { cp, mkdtemp, readFile, rm, stat, truncate, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { envelope, isolatedHome, repositoryRoot, runStem } from './run-stem.js';

// Parity fixtures of the encoder plugin (tools/fixtures/make_encoder_fixtures.py, PyTorch 1.13).
const fixtures = join(repositoryRoot, 'plugins', 'encoder-transformer', 'test', 'fixtures');

interface Reference {
  sentence: { words: string[]; wordAttention: number[][][][] };
}

interface AttendResult {
  units: string[];
  subwords: string[];
  heads: Array<{ layer: number; head: number; attention: number[][] }>;
}

/** Largest difference of two matrices of the same, non-empty shape (a shape mismatch throws). */
function maxAbsDiff(a: number[][], b: number[][]): number {
  const shape = (m: number[][]) => `${m.length}x[${m.map((row) => row.length).join(',')}]`;
  if (a.length === 0 || a.some((row) => row.length === 0))
    throw new Error(`empty matrix ${shape(a)}: nothing to compare`);
  if (shape(a) !== shape(b)) throw new Error(`shapes differ: ${shape(a)} vs ${shape(b)}`);
  let max = 0;
  a.forEach((row, i) =>
    row.forEach((value, j) => {
      const difference = Math.abs(value - (b[i]![j] as number));
      max = Number.isNaN(difference) ? Infinity : Math.max(max, difference);
    }),
  );
  return max;
}

describe('stem model', () => {
  it.each(['tiny-bert', 'tiny-roberta'])(
    'attend prints the PyTorch reference word attention of every head (%s)',
    async (name) => {
      const reference = JSON.parse(
        await readFile(join(fixtures, `${name}.reference.json`), 'utf8'),
      ) as Reference;
      const run = await runStem(
        [
          'model',
          'attend',
          join(fixtures, name),
          '--text',
          reference.sentence.words.join(' '),
          '--json',
        ],
        await isolatedHome(),
      );
      expect(run.code, run.stderr).toBe(0);
      const { result } = envelope<AttendResult>(run);
      expect(result.units).toEqual(['<root>', ...reference.sentence.words]);
      expect(result.heads).toHaveLength(8);
      for (const { layer, head, attention } of result.heads) {
        expect(
          maxAbsDiff(attention, reference.sentence.wordAttention[layer]?.[head] ?? []),
        ).toBeLessThan(1e-4);
      }
    },
  );

  it('init writes a model that inspect describes, and attend reads one head of it', async () => {
    const scratch = await mkdtemp(join(tmpdir(), 'stem-model-cli-'));
    const corpus = join(scratch, 'corpus.txt');
    await writeFile(corpus, 'The cat sat on the mat .\nA dog ran far away .\n'.repeat(10));
    const out = join(scratch, 'model');
    const home = await isolatedHome();
    const init = await runStem(
      [
        'model',
        'init',
        '--arch',
        'electra',
        '--layers',
        '2',
        '--heads',
        '2',
        '--hidden',
        '16',
        '--vocab-from',
        corpus,
        '--out',
        out,
        '--json',
      ],
      home,
    );
    expect(init.code, init.stderr).toBe(0);
    expect(envelope(init).result).toMatchObject({
      directory: out,
      arch: 'electra',
      layers: 2,
      heads: 2,
    });
    const inspect = await runStem(['model', 'inspect', out, '--json'], home);
    expect(envelope(inspect).result).toMatchObject({
      arch: 'electra',
      totalHeads: 4,
      hiddenSize: 16,
      tokenizer: { kind: 'wordpiece' },
      weights: { intact: true, problems: [] },
    });
    const attend = await runStem(
      ['model', 'attend', out, '--text', 'The cat sat', '--layer', '1', '--head', '0', '--json'],
      home,
    );
    const { result } = envelope<AttendResult>(attend);
    expect(result.heads.map((h) => [h.layer, h.head])).toEqual([[1, 0]]);
    expect(result.heads[0]?.attention).toHaveLength(4);
  });

  it('maxAbsDiff cannot pass on an empty, misshapen or NaN matrix', () => {
    expect(maxAbsDiff([[0.5, 1]], [[0.25, 1]])).toBe(0.25);
    expect(() => maxAbsDiff([], [[1]])).toThrow(/empty matrix/);
    expect(() => maxAbsDiff([[]], [[]])).toThrow(/empty matrix/);
    expect(() => maxAbsDiff([[1]], [[1, 2]])).toThrow(/shapes differ/);
    expect(() => maxAbsDiff([[1]], [])).toThrow(/shapes differ/);
    expect(maxAbsDiff([[NaN, 0]], [[0, 0]])).toBe(Infinity);
    expect(maxAbsDiff([[0, 0]], [[0, NaN]])).toBe(Infinity);
  });

  it('inspect reads and checks the weights; a damaged file fails it after the description, and attend refuses it', async () => {
    const home = await isolatedHome();
    const scratch = await mkdtemp(join(tmpdir(), 'stem-model-weights-'));
    const intact = await runStem(['model', 'inspect', join(fixtures, 'tiny-bert'), '--json'], home);
    expect(intact.code, intact.stderr).toBe(0);
    const size = (await stat(join(fixtures, 'tiny-bert', 'model.safetensors'))).size;
    expect(envelope(intact).result).toMatchObject({
      weights: { intact: true, problems: [], bytes: size },
    });
    expect(envelope(intact).warnings).toEqual([]);

    // The case: model.safetensors truncated to 100 bytes.
    const broken = join(scratch, 'truncated');
    await cp(join(fixtures, 'tiny-bert'), broken, { recursive: true });
    await truncate(join(broken, 'model.safetensors'), 100);
    const inspect = await runStem(['model', 'inspect', broken, '--json'], home);
    expect(inspect.code, inspect.stderr).toBe(1);
    const failed = envelope(inspect) as ReturnType<typeof envelope> & {
      data?: { layers: number; weights: { intact: boolean; problems: string[]; bytes: number } };
    };
    expect(failed.ok).toBe(false);
    expect(failed.error?.code).toBe('WEIGHTS_INVALID');
    expect(failed.error?.message).toContain(`${join(broken, 'model.safetensors')}: header length `);
    // What could be read is still there: the description from config.json and the tokenizer.
    expect(failed.data?.layers).toBe(2);
    expect(failed.data?.weights.intact).toBe(false);
    expect(failed.data?.weights.bytes).toBe(100);
    expect(failed.data?.weights.problems).toEqual([
      expect.stringMatching(
        /model\.safetensors: header length \d+ exceeds the file size \(100 bytes\)/,
      ),
    ]);
    const text = await runStem(['model', 'inspect', broken], home);
    expect(text.code).toBe(1);
    expect(text.stdout).toMatch(/weights +DAMAGED: .*truncated/);
    expect(text.stderr).toMatch(/error: .*truncated\/model\.safetensors: header length/);

    // No model.safetensors at all: the directory is incomplete (MODEL_INVALID), still described.
    const missing = join(scratch, 'missing');
    await cp(join(fixtures, 'tiny-bert'), missing, { recursive: true });
    await rm(join(missing, 'model.safetensors'));
    const withoutWeights = await runStem(['model', 'inspect', missing, '--json'], home);
    expect(withoutWeights.code).toBe(1);
    expect(envelope(withoutWeights).error).toMatchObject({
      code: 'MODEL_INVALID',
      message: `${join(missing, 'model.safetensors')} does not exist`,
    });
    expect((envelope(withoutWeights) as { data?: { layers?: number } }).data?.layers).toBe(2);

    const attend = await runStem(['model', 'attend', broken, '--text', 'The cat', '--json'], home);
    expect(attend.code).toBe(1);
    expect(envelope(attend).error).toMatchObject({
      code: 'WEIGHTS_INVALID',
      message: expect.stringContaining(join(broken, 'model.safetensors')),
      hint: expect.stringMatching(/download or export the model again/),
    });
  });

  it('attend names the valid range for a layer that does not exist', async () => {
    const run = await runStem(
      [
        'model',
        'attend',
        join(fixtures, 'tiny-bert'),
        '--text',
        'The cat',
        '--layer',
        '9',
        '--json',
      ],
      await isolatedHome(),
    );
    expect(run.code).not.toBe(0);
    expect(envelope(run).error?.message).toContain('layers 0..1');
  });
});
