import { mkdir, mkdtemp, readdir, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { StemError } from '../src/errors.js';
import { bfloat16ToFloat, floatToBfloat16, floatToHalf, halfToFloat } from '../src/io/float16.js';
import {
  parseSafetensors,
  safetensors,
  serializeSafetensors,
} from '../src/io/safetensors-codec.js';

describe('half and bfloat16 conversions', () => {
  it('encode reference values (IEEE 754 binary16, round to nearest even)', () => {
    const cases: Array<[number, number]> = [
      [1, 0x3c00],
      [-2, 0xc000],
      [0.1, 0x2e66],
      [1 / 3, 0x3555],
      [65504, 0x7bff],
      [65520, 0x7c00], // halfway to the next power: rounds to infinity
      [Infinity, 0x7c00],
      [-Infinity, 0xfc00],
      [-0, 0x8000],
      [2 ** -14, 0x0400], // smallest normal
      [2 ** -24, 0x0001], // smallest subnormal
      [2 ** -25, 0x0000], // a tie between 0 and 2^-24: to even
      [3 * 2 ** -25, 0x0002], // a tie between 1 and 2 subnormal steps: to even
      [2049, 0x6800], // a tie between 2048 and 2050: to even
      [2051, 0x6802],
    ];
    for (const [value, bits] of cases) expect([value, floatToHalf(value)]).toEqual([value, bits]);
    expect(floatToHalf(NaN) & 0x7c00).toBe(0x7c00);
    expect(Number.isNaN(halfToFloat(floatToHalf(NaN)))).toBe(true);
  });

  it('round-trips every one of the 65,536 half values that is not NaN', () => {
    for (let bits = 0; bits < 0x10000; bits++) {
      const value = halfToFloat(bits);
      if (Number.isNaN(value)) continue;
      if (floatToHalf(value) !== bits)
        throw new Error(`half 0x${bits.toString(16)} does not round-trip`);
    }
  });

  it('rounds bfloat16 to nearest even', () => {
    expect(floatToBfloat16(1)).toBe(0x3f80);
    expect(floatToBfloat16(Math.PI)).toBe(0x4049);
    expect(floatToBfloat16(1 + 2 ** -8)).toBe(0x3f80); // tie: down to even
    expect(floatToBfloat16(1 + 3 * 2 ** -8)).toBe(0x3f82); // tie: up to even
    expect(bfloat16ToFloat(0xc040)).toBe(-3);
    expect(Number.isNaN(bfloat16ToFloat(floatToBfloat16(NaN)))).toBe(true);
  });
});

describe('safetensors codec', () => {
  const tensors = new Map([
    ['b.weight', { shape: [2, 3], data: Float32Array.from([0.1, -2, 3.5, 65504, 1e-8, 7]) }],
    ['a.count', { shape: [2], data: Int32Array.from([-7, 2 ** 30]) }],
  ]);

  it('writes F32 exactly, F16 and BF16 rounded, I32 exactly, sorted by name, header padded to 8', () => {
    for (const float of ['F32', 'F16', 'BF16'] as const) {
      const bytes = serializeSafetensors(tensors, { float, metadata: { format: 'pt' } });
      const headerLength = Number(bytes.readBigUInt64LE(0));
      expect(headerLength % 8).toBe(0);
      const header = JSON.parse(bytes.subarray(8, 8 + headerLength).toString('utf8'));
      expect(Object.keys(header)).toEqual(['a.count', 'b.weight', '__metadata__']);
      expect(header['b.weight'].dtype).toBe(float);
      expect(header['a.count']).toEqual({ dtype: 'I32', shape: [2], data_offsets: [0, 8] });
      const { tensors: read, metadata } = parseSafetensors(bytes);
      expect(metadata).toEqual({ format: 'pt' });
      expect(read.get('a.count')?.data).toEqual(Int32Array.from([-7, 2 ** 30]));
      const original = tensors.get('b.weight')?.data as Float32Array;
      const expected = Array.from(original, (v) =>
        float === 'F32'
          ? v
          : float === 'F16'
            ? halfToFloat(floatToHalf(v))
            : bfloat16ToFloat(floatToBfloat16(v)),
      );
      expect(Array.from(read.get('b.weight')?.data ?? [])).toEqual(expected);
      expect(read.get('b.weight')?.shape).toEqual([2, 3]);
    }
    // F16 stores 6 floats in 12 bytes instead of 24.
    expect(serializeSafetensors(tensors, { float: 'F16' }).length).toBeLessThan(
      serializeSafetensors(tensors).length,
    );
  });

  it('writes atomically to a file and reads it back', async () => {
    const file = join(await mkdtemp(join(tmpdir(), 'stem-st-')), 'model.safetensors');
    await safetensors.write(file, tensors, { float: 'F16' });
    expect((await safetensors.read(file)).tensors.get('a.count')?.data).toEqual(
      Int32Array.from([-7, 2 ** 30]),
    );
    expect(await readFile(file)).toEqual(serializeSafetensors(tensors, { float: 'F16' }));
  });

  /** A file whose header is `entries` as given, followed by `dataBytes` zero bytes. */
  const withHeader = (entries: unknown, dataBytes: number, headerText?: string): Buffer => {
    const json = Buffer.from(headerText ?? JSON.stringify(entries));
    const out = Buffer.alloc(8 + json.length + dataBytes);
    out.writeBigUInt64LE(BigInt(json.length));
    json.copy(out, 8);
    return out;
  };
  const rejects = (bytes: Uint8Array, message: string | RegExp) => {
    let error: unknown;
    try {
      parseSafetensors(bytes, 'x.safetensors');
    } catch (e) {
      error = e;
    }
    expect(error, `expected ${message}`).toBeInstanceOf(StemError);
    expect((error as StemError).code).toBe('WEIGHTS_INVALID');
    expect((error as StemError).hint).toMatch(/damaged or incomplete/);
    expect((error as Error).message).toMatch(/^x\.safetensors: /);
    expect((error as Error).message).toMatch(message);
  };

  it('rejects a file cut at every length, naming the file', () => {
    const good = serializeSafetensors(tensors);
    expect(parseSafetensors(good, 'x.safetensors').tensors.size).toBe(2);
    for (let length = 0; length < good.length; length++)
      rejects(
        good.subarray(0, length),
        length < 8
          ? /too short/
          : length < 8 + Number(good.readBigUInt64LE(0))
            ? /header length \d+ exceeds the file size .*truncated/
            : /lies outside the file .*truncated/,
      );
  });

  it('rejects every damaged header: length, JSON, entries, offsets, dtypes, sizes, tiling', () => {
    const good = serializeSafetensors(tensors);
    const huge = Buffer.from(good);
    huge.writeBigUInt64LE(2n ** 60n);
    rejects(huge, /header length 1152921504606846976 is beyond the 100 MB limit/);
    rejects(withHeader(null, 0, '{"a": {"dtype": "F32",'), /header is not valid JSON/);
    const invalidUtf8 = withHeader(null, 0, '{"ab": {}}');
    invalidUtf8[10] = 0xff;
    rejects(invalidUtf8, /header is not valid JSON/);
    rejects(withHeader([1, 2], 0), /header is not a JSON object of tensors/);
    rejects(withHeader({ t: 3 }, 0), /tensor "t" is not an object/);
    rejects(withHeader({ t: { shape: [1], data_offsets: [0, 4] } }, 4), /tensor "t" has no dtype/);
    rejects(
      withHeader({ t: { dtype: 'Q7', shape: [1], data_offsets: [0, 4] } }, 4),
      'tensor "t" has unknown dtype Q7; supported: F32, F16, BF16, F64, I32',
    );
    rejects(
      withHeader({ t: { dtype: 'U8', shape: [2], data_offsets: [0, 2] } }, 2),
      'tensor "t" has dtype U8; supported: F32, F16, BF16, F64, I32',
    );
    rejects(
      withHeader({ t: { dtype: 'F32', shape: [2.5], data_offsets: [0, 10] } }, 10),
      'tensor "t" has shape [2.5], not a list of sizes',
    );
    rejects(
      withHeader({ t: { dtype: 'F32', shape: [-1], data_offsets: [0, 4] } }, 4),
      /shape \[-1\], not a list of sizes/,
    );
    rejects(
      withHeader({ t: { dtype: 'F32', shape: [1], data_offsets: [0] } }, 4),
      'tensor "t" has data_offsets [0], not [begin, end] byte offsets',
    );
    rejects(
      withHeader({ t: { dtype: 'F32', shape: [1], data_offsets: ['0', 4] } }, 4),
      /data_offsets \["0",4\]/,
    );
    rejects(
      withHeader({ t: { dtype: 'F32', shape: [0], data_offsets: [4, 0] } }, 4),
      'tensor "t" has data_offsets [4, 0] reversed',
    );
    rejects(
      withHeader({ t: { dtype: 'F32', shape: [3], data_offsets: [0, 8] } }, 8),
      'tensor "t" spans 8 bytes, expected 12 for shape [3] of F32',
    );
    const pair = (a: [number, number], b: [number, number]) => ({
      a: { dtype: 'F32', shape: [(a[1] - a[0]) / 4], data_offsets: a },
      b: { dtype: 'F32', shape: [(b[1] - b[0]) / 4], data_offsets: b },
    });
    expect(parseSafetensors(withHeader(pair([8, 16], [0, 8]), 16)).tensors.size).toBe(2);
    rejects(withHeader(pair([0, 8], [4, 12]), 12), /tensor "b" overlaps the tensor before it/);
    rejects(
      withHeader(pair([0, 8], [12, 20]), 20),
      /4 bytes before tensor "b" belong to no tensor/,
    );
    rejects(
      withHeader(pair([4, 12], [12, 20]), 20),
      /4 bytes before tensor "a" belong to no tensor/,
    );
    rejects(
      withHeader(pair([0, 8], [8, 16]), 20),
      /4 bytes after the last tensor belong to no tensor/,
    );
    rejects(
      withHeader({ ...pair([0, 8], [8, 16]), __metadata__: { format: 1 } }, 16),
      '__metadata__.format is not a string',
    );
    rejects(withHeader({ __metadata__: [] }, 0), /__metadata__ is not an object of strings/);
  });

  it('raises only its own error for any single-byte change of a header', () => {
    const good = serializeSafetensors(tensors);
    const end = 8 + Number(good.readBigUInt64LE(0));
    let parsed = 0;
    for (let at = 0; at < end; at++) {
      for (const value of [0x00, 0x22, 0x31, 0x7d, 0xff]) {
        const bytes = Buffer.from(good);
        bytes[at] = value;
        try {
          parseSafetensors(bytes, 'x.safetensors');
          parsed++;
        } catch (error) {
          expect([at, value, (error as StemError).code]).toEqual([at, value, 'WEIGHTS_INVALID']);
          expect((error as Error).message).toMatch(/^x\.safetensors: /);
        }
      }
    }
    // Some changes are harmless (a digit of a float in the data, a space of the padding).
    expect(parsed).toBeGreaterThan(0);
  });

  it('pads the header to 8 bytes, not 8 characters, for non-ASCII tensor names', async () => {
    const names = new Map([
      ['é', { shape: [1], data: Float32Array.from([1.5]) }],
      ['層.重み', { shape: [2], data: Float32Array.from([2, -3]) }],
      ['😀', { shape: [1], data: Int32Array.from([7]) }],
    ]);
    const bytes = serializeSafetensors(names);
    const headerLength = Number(bytes.readBigUInt64LE(0));
    expect(headerLength % 8).toBe(0);
    // Characters and bytes differ here: a padding computed in characters would misalign.
    const header = bytes.subarray(8, 8 + headerLength).toString('utf8');
    expect(Buffer.byteLength(header)).not.toBe(header.length);
    expect(bytes.length).toBe(8 + headerLength + 4 + 8 + 4);
    const read = parseSafetensors(bytes, 'names.safetensors').tensors;
    expect([...read.keys()].sort()).toEqual([...names.keys()].sort());
    expect(read.get('層.重み')?.data).toEqual(Float32Array.from([2, -3]));
    expect(read.get('😀')?.data).toEqual(Int32Array.from([7]));
    const file = join(await mkdtemp(join(tmpdir(), 'stem-st-')), 'names.safetensors');
    await safetensors.write(file, names);
    expect((await safetensors.read(file)).tensors.get('é')?.data).toEqual(Float32Array.from([1.5]));
  });

  it('writes atomically: a failed write leaves the old file and no temporary', async () => {
    const directory = await mkdtemp(join(tmpdir(), 'stem-st-'));
    const file = join(directory, 'model.safetensors');
    await safetensors.write(file, tensors);
    const before = await readFile(file);
    const bad = new Map([['x', { shape: [3], data: Float32Array.from([1]) }]]);
    await expect(safetensors.write(file, bad)).rejects.toThrow(/shape \[3\] holds 3 values/);
    expect(await readFile(file)).toEqual(before);
    // A folder where the file should go: the rename fails after the temporary was written.
    const occupied = join(directory, 'occupied.safetensors');
    await mkdir(join(occupied, 'inside'), { recursive: true });
    await expect(safetensors.write(occupied, tensors)).rejects.toMatchObject({
      code: 'WRITE_FAILED',
      message: expect.stringContaining(`cannot write ${occupied}`),
    });
    expect((await readdir(directory)).sort()).toEqual([
      'model.safetensors',
      'occupied.safetensors',
    ]);
  });

  it('says a file it cannot read is unreadable, naming it', async () => {
    await expect(safetensors.read('/nonexistent/model.safetensors')).rejects.toMatchObject({
      code: 'FILE_UNREADABLE',
      message: expect.stringContaining('cannot read /nonexistent/model.safetensors'),
    });
  });
});
