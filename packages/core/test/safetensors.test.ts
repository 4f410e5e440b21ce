import { mkdtemp, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
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

  it('names the file and the tensor in its errors', () => {
    const good = serializeSafetensors(tensors);
    expect(() => parseSafetensors(good.subarray(0, 4), 'x.safetensors')).toThrow(
      'x.safetensors: too short',
    );
    expect(() => parseSafetensors(good.subarray(0, good.length - 4), 'x.safetensors')).toThrow(
      'x.safetensors: tensor "b.weight" lies outside the file (truncated?)',
    );
    const header = (entries: object) => {
      const json = Buffer.from(JSON.stringify(entries));
      const out = Buffer.alloc(8 + json.length + 16);
      out.writeBigUInt64LE(BigInt(json.length));
      json.copy(out, 8);
      return out;
    };
    expect(() =>
      parseSafetensors(header({ t: { dtype: 'U8', shape: [2], data_offsets: [0, 2] } }), 'y'),
    ).toThrow('y: tensor "t" has dtype U8; supported: F32, F16, BF16, F64, I32');
    expect(() =>
      parseSafetensors(header({ t: { dtype: 'F32', shape: [3], data_offsets: [0, 8] } }), 'y'),
    ).toThrow('y: tensor "t" spans 8 bytes, expected 12 for shape [3]');
  });
});
