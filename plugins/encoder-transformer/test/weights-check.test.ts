/**
 * Damaged model.safetensors files of a real (small) model that the test saves itself: each
 * damage is refused on load with WEIGHTS_INVALID (or MODEL_INVALID for a file that decodes
 * but does not fit config.json), and `checkModelWeights` (what `stem model inspect` shows)
 * reports it instead of calling the weights intact.
 */
import {
  cpSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type TensorFlow, parseSafetensors, safetensors, serializeSafetensors } from '@stem/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { checkModelWeights, seededSource, TransformerEncoder } from '../src/index.js';
import { testTf } from './support/backend.js';
import { fixtureDir } from './support/fixtures.js';

/** One header entry as JSON gives it. */
interface Entry {
  dtype: string;
  shape: number[];
  data_offsets: [number, number];
}

/** The file with its JSON header edited and the data region kept byte for byte. */
function withEditedHeader(bytes: Buffer, edit: (header: Record<string, Entry>) => void): Buffer {
  const length = Number(bytes.readBigUInt64LE(0));
  const header = JSON.parse(bytes.subarray(8, 8 + length).toString('utf8'));
  edit(header);
  let json = JSON.stringify(header);
  json += ' '.repeat((8 - (Buffer.byteLength(json) % 8)) % 8);
  const out = Buffer.alloc(8);
  out.writeBigUInt64LE(BigInt(Buffer.byteLength(json)));
  return Buffer.concat([out, Buffer.from(json), bytes.subarray(8 + length)]);
}

describe('damaged model weights', () => {
  let tf: TensorFlow;
  const scratch = mkdtempSync(join(tmpdir(), 'stem-weights-'));
  let saved: string;
  let good: Buffer;
  beforeAll(async () => {
    tf = await testTf();
    // A model with fresh random weights, saved the way `stem model init` and runs save.
    const encoder = await TransformerEncoder.load(tf, fixtureDir('tiny-bert'), seededSource(3), {
      safetensors,
      randomWeights: true,
    });
    saved = join(scratch, 'saved');
    await encoder.save(saved);
    encoder.dispose();
    good = readFileSync(join(saved, 'model.safetensors'));
  });
  afterAll(() => rmSync(scratch, { recursive: true, force: true }));

  let copies = 0;
  const damaged = (bytes: Buffer): string => {
    const directory = join(scratch, `copy-${copies++}`);
    cpSync(saved, directory, { recursive: true });
    writeFileSync(join(directory, 'model.safetensors'), bytes);
    return directory;
  };
  const firstEntry = (header: Record<string, Entry>): string =>
    Object.keys(header).find((k) => k !== '__metadata__') as string;

  it('calls the saved weights intact after reading every tensor', async () => {
    const check = await checkModelWeights(saved, safetensors);
    expect(check).toMatchObject({ intact: true, problems: [], bytes: good.length });
    expect(check.tensors).toBe(parseSafetensors(good).tensors.size);
  });

  const cases: Array<{ name: string; bytes: () => Buffer; code: string; problem: RegExp }> = [
    {
      name: 'cut to 100 bytes',
      bytes: () => good.subarray(0, 100),
      code: 'WEIGHTS_INVALID',
      problem: /header length \d+ exceeds the file size \(100 bytes\): the file is truncated/,
    },
    {
      name: 'cut by 4 bytes',
      bytes: () => good.subarray(0, good.length - 4),
      code: 'WEIGHTS_INVALID',
      problem: /lies outside the file .*truncated/,
    },
    {
      name: 'header length overwritten',
      bytes: () => {
        const bytes = Buffer.from(good);
        bytes.writeBigUInt64LE(0xffff_ffff_ffffn);
        return bytes;
      },
      code: 'WEIGHTS_INVALID',
      problem: /beyond the 100 MB limit/,
    },
    {
      name: 'header not JSON',
      bytes: () => {
        const bytes = Buffer.from(good);
        bytes.write('[', 8);
        return bytes;
      },
      code: 'WEIGHTS_INVALID',
      problem: /header is not valid JSON/,
    },
    {
      name: 'two tensors overlapping',
      bytes: () =>
        withEditedHeader(good, (header) => {
          const entries = Object.entries(header).filter(([k]) => k !== '__metadata__');
          const [, second] = entries.sort((a, b) => a[1].data_offsets[0] - b[1].data_offsets[0]);
          const [begin, end] = second![1].data_offsets;
          second![1].data_offsets = [begin - 4, end - 4];
        }),
      code: 'WEIGHTS_INVALID',
      problem: /overlaps the tensor before it/,
    },
    {
      name: 'an unknown dtype',
      bytes: () => withEditedHeader(good, (h) => void (h[firstEntry(h)]!.dtype = 'F99')),
      code: 'WEIGHTS_INVALID',
      problem: /has unknown dtype F99/,
    },
    {
      name: 'a size that is not shape x dtype',
      bytes: () => withEditedHeader(good, (h) => void (h[firstEntry(h)]!.dtype = 'F16')),
      code: 'WEIGHTS_INVALID',
      problem: /spans \d+ bytes, expected \d+ for shape .* of F16/,
    },
    {
      name: 'a tensor whose shape does not fit config.json',
      bytes: () => {
        const { tensors } = parseSafetensors(good);
        tensors.set('encoder.layer.1.attention.self.key.weight', {
          shape: [16, 64],
          data: new Float32Array(16 * 64),
        });
        return serializeSafetensors(tensors);
      },
      code: 'MODEL_INVALID',
      problem:
        /tensor "encoder\.layer\.1\.attention\.self\.key\.weight" has shape \[16,64\], expected \[32,32\]/,
    },
    {
      name: 'a tensor config.json needs is missing',
      bytes: () => {
        const { tensors } = parseSafetensors(good);
        tensors.delete('embeddings.LayerNorm.bias');
        return serializeSafetensors(tensors);
      },
      code: 'MODEL_INVALID',
      problem: /missing tensor "embeddings\.LayerNorm\.bias" \(expected shape \[32\]\)/,
    },
  ];

  it.each(cases)(
    '$name: refused on load, reported by the check',
    async ({ bytes, code, problem }) => {
      const directory = damaged(bytes());
      const error = (await TransformerEncoder.load(tf, directory, seededSource(1), {
        safetensors,
      }).catch((e: unknown) => e)) as Error & { code?: string; hint?: string };
      expect(error).toBeInstanceOf(Error);
      expect(error.code, error.message).toBe(code);
      expect(error.message).toContain(join(directory, 'model.safetensors'));
      expect(error.message).toMatch(problem);
      expect(error.hint).toMatch(
        code === 'WEIGHTS_INVALID' ? /download or export the model again/ : /config\.json/,
      );
      const check = await checkModelWeights(directory, safetensors);
      expect(check.intact).toBe(false);
      expect(check.problems.join('\n')).toMatch(problem);
    },
  );

  it('reports NaN values, which load but would poison every output', async () => {
    const { tensors } = parseSafetensors(good);
    const bias = tensors.get('embeddings.LayerNorm.bias')!;
    bias.data[3] = NaN;
    bias.data[5] = Infinity;
    const check = await checkModelWeights(damaged(serializeSafetensors(tensors)), safetensors);
    expect(check).toMatchObject({
      intact: false,
      problems: ['tensor "embeddings.LayerNorm.bias" holds 2 NaN or infinite values'],
    });
  });

  it('reports a missing weights file', async () => {
    const directory = damaged(good);
    rmSync(join(directory, 'model.safetensors'));
    const check = await checkModelWeights(directory, safetensors);
    expect(check).toMatchObject({ intact: false, bytes: 0, tensors: 0 });
    expect(check.problems).toEqual([`${join(directory, 'model.safetensors')} does not exist`]);
  });
});

describe('saving a model directory', () => {
  it('writes config.json atomically: a failed write is WRITE_FAILED and leaves no temporary', async () => {
    const tf = await testTf();
    const encoder = await TransformerEncoder.load(tf, fixtureDir('tiny-bert'), seededSource(3), {
      safetensors,
      randomWeights: true,
    });
    const directory = mkdtempSync(join(tmpdir(), 'stem-save-'));
    await encoder.save(directory);
    const config = readFileSync(join(directory, 'config.json'));
    const weights = readFileSync(join(directory, 'model.safetensors'));
    await encoder.save(directory);
    expect(readFileSync(join(directory, 'config.json'))).toEqual(config);
    // A folder where config.json goes: its rename fails after the temporary was written.
    const blocked = mkdtempSync(join(tmpdir(), 'stem-save-'));
    cpSync(directory, blocked, { recursive: true });
    rmSync(join(blocked, 'config.json'));
    mkdirSync(join(blocked, 'config.json', 'inside'), { recursive: true });
    const error = await encoder.save(blocked).catch((e: unknown) => e as Error & { code?: string });
    expect(error).toMatchObject({
      code: 'WRITE_FAILED',
      message: expect.stringContaining(`cannot write ${join(blocked, 'config.json')}`),
    });
    expect(readdirSync(blocked).filter((f) => f.endsWith('.tmp'))).toEqual([]);
    expect(readdirSync(join(blocked, 'config.json'))).toEqual(['inside']);
    expect(readFileSync(join(directory, 'model.safetensors'))).toEqual(weights);
    encoder.dispose();
  });
});
