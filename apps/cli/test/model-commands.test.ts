import { mkdtemp, readFile, writeFile } from 'node:fs/promises';
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

function maxAbsDiff(a: number[][], b: number[][]): number {
  let max = 0;
  a.forEach((row, i) =>
    row.forEach((value, j) => (max = Math.max(max, Math.abs(value - (b[i]?.[j] ?? NaN))))),
  );
  return Number.isNaN(max) ? Infinity : max;
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
    });
    const attend = await runStem(
      ['model', 'attend', out, '--text', 'The cat sat', '--layer', '1', '--head', '0', '--json'],
      home,
    );
    const { result } = envelope<AttendResult>(attend);
    expect(result.heads.map((h) => [h.layer, h.head])).toEqual([[1, 0]]);
    expect(result.heads[0]?.attention).toHaveLength(4);
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
