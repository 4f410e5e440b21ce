import { readFile, writeFile } from 'node:fs/promises';

/** One tensor read from a safetensors file, converted to float32. */
export interface RawTensor {
  shape: number[];
  data: Float32Array;
}

const BYTES: Record<string, number> = { F32: 4, F16: 2, BF16: 2, F64: 8 };

/**
 * Reads a safetensors file: 8-byte little-endian header length, a JSON header
 * `{name: {dtype, shape, data_offsets: [begin, end]}}`, then the raw little-endian data.
 * F32, F64, F16 and BF16 are converted to float32.
 */
export async function readSafetensors(path: string): Promise<Map<string, RawTensor>> {
  const buffer = await readFile(path);
  return parseSafetensors(buffer, path);
}

export function parseSafetensors(buffer: Buffer, path = 'safetensors'): Map<string, RawTensor> {
  if (buffer.length < 8) throw new Error(`${path}: too short to be a safetensors file`);
  const headerLength = Number(buffer.readBigUInt64LE(0));
  if (headerLength > buffer.length - 8)
    throw new Error(`${path}: header length ${headerLength} exceeds the file size`);
  const header = JSON.parse(buffer.subarray(8, 8 + headerLength).toString('utf8')) as Record<
    string,
    { dtype: string; shape: number[]; data_offsets: [number, number] }
  >;
  const base = 8 + headerLength;
  const out = new Map<string, RawTensor>();
  for (const [name, entry] of Object.entries(header)) {
    if (name === '__metadata__') continue;
    const width = BYTES[entry.dtype];
    if (width === undefined)
      throw new Error(
        `${path}: tensor "${name}" has dtype ${entry.dtype}; supported: F32, F64, F16, BF16`,
      );
    const [begin, end] = entry.data_offsets;
    const count = entry.shape.reduce((a, b) => a * b, 1);
    if (end - begin !== count * width) {
      throw new Error(
        `${path}: tensor "${name}" spans ${end - begin} bytes, expected ${count * width} for shape [${entry.shape}]`,
      );
    }
    const bytes = buffer.subarray(base + begin, base + end);
    out.set(name, { shape: [...entry.shape], data: decode(bytes, entry.dtype, count) });
  }
  return out;
}

function decode(bytes: Buffer, dtype: string, count: number): Float32Array {
  const out = new Float32Array(count);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  switch (dtype) {
    case 'F32':
      for (let i = 0; i < count; i++) out[i] = view.getFloat32(i * 4, true);
      break;
    case 'F64':
      for (let i = 0; i < count; i++) out[i] = view.getFloat64(i * 8, true);
      break;
    case 'F16':
      for (let i = 0; i < count; i++) out[i] = halfToFloat(view.getUint16(i * 2, true));
      break;
    case 'BF16': {
      const word = new Uint32Array(1);
      const asFloat = new Float32Array(word.buffer);
      for (let i = 0; i < count; i++) {
        word[0] = view.getUint16(i * 2, true) << 16;
        out[i] = asFloat[0] as number;
      }
      break;
    }
  }
  return out;
}

function halfToFloat(h: number): number {
  const sign = h & 0x8000 ? -1 : 1;
  const exponent = (h >> 10) & 0x1f;
  const fraction = h & 0x3ff;
  if (exponent === 0) return sign * 2 ** -14 * (fraction / 1024);
  if (exponent === 0x1f) return fraction ? NaN : sign * Infinity;
  return sign * 2 ** (exponent - 15) * (1 + fraction / 1024);
}

/** Writes float32 tensors (sorted by name) with optional string metadata. */
export async function writeSafetensors(
  path: string,
  tensors: Map<string, RawTensor>,
  metadata: Record<string, string> = { format: 'pt' },
): Promise<void> {
  await writeFile(path, serializeSafetensors(tensors, metadata));
}

export function serializeSafetensors(
  tensors: Map<string, RawTensor>,
  metadata: Record<string, string> = { format: 'pt' },
): Buffer {
  const names = [...tensors.keys()].sort();
  const header: Record<string, unknown> = {};
  let offset = 0;
  for (const name of names) {
    const tensor = tensors.get(name) as RawTensor;
    const bytes = tensor.data.length * 4;
    header[name] = { dtype: 'F32', shape: tensor.shape, data_offsets: [offset, offset + bytes] };
    offset += bytes;
  }
  header['__metadata__'] = metadata;
  let json = JSON.stringify(header);
  json += ' '.repeat((8 - (Buffer.byteLength(json) % 8)) % 8);
  const headerBytes = Buffer.from(json, 'utf8');
  const out = Buffer.alloc(8 + headerBytes.length + offset);
  out.writeBigUInt64LE(BigInt(headerBytes.length), 0);
  headerBytes.copy(out, 8);
  let at = 8 + headerBytes.length;
  for (const name of names) {
    const data = (tensors.get(name) as RawTensor).data;
    for (let i = 0; i < data.length; i++, at += 4) out.writeFloatLE(data[i] as number, at);
  }
  return out;
}
