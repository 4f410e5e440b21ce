import { readFile } from 'node:fs/promises';
import type {
  RawTensor,
  SafetensorsCodec,
  SafetensorsContents,
  SafetensorsWriteOptions,
} from '../contracts/safetensors.js';
import { StemError } from '../errors.js';
import { writeFileAtomic } from '../run/atomic-write.js';
import { bfloat16ToFloat, floatToBfloat16, floatToHalf, halfToFloat } from './float16.js';

/**
 * The safetensors layout: 8-byte little-endian header length, a JSON header
 * `{name: {dtype, shape, data_offsets: [begin, end]}, __metadata__}`, then raw
 * little-endian data. Readable by Python tooling; a torn file shows in its header.
 */
const WIDTH: Record<string, number> = { F32: 4, F16: 2, BF16: 2, F64: 8, I32: 4 };

interface HeaderEntry {
  dtype: string;
  shape: number[];
  data_offsets: [number, number];
}

export function parseSafetensors(bytes: Uint8Array, source = 'safetensors'): SafetensorsContents {
  const buffer = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (buffer.byteLength < 8)
    throw new StemError(
      `${source}: too short to be a safetensors file (${buffer.byteLength} bytes)`,
    );
  const headerLength = Number(buffer.readBigUInt64LE(0));
  if (8 + headerLength > buffer.byteLength)
    throw new StemError(`${source}: header length ${headerLength} exceeds the file size`);
  let header: Record<string, HeaderEntry | Record<string, string>>;
  try {
    header = JSON.parse(buffer.subarray(8, 8 + headerLength).toString('utf8'));
  } catch (error) {
    throw new StemError(`${source}: header is not JSON (${(error as Error).message})`);
  }
  const data = buffer.subarray(8 + headerLength);
  const tensors = new Map<string, RawTensor>();
  let metadata: Record<string, string> = {};
  for (const [name, entry] of Object.entries(header)) {
    if (name === '__metadata__') {
      metadata = entry as Record<string, string>;
      continue;
    }
    const {
      dtype,
      shape,
      data_offsets: [begin, end],
    } = entry as HeaderEntry;
    const width = WIDTH[dtype];
    if (width === undefined)
      throw new StemError(
        `${source}: tensor "${name}" has dtype ${dtype}; supported: F32, F16, BF16, F64, I32`,
      );
    if (end > data.byteLength || begin > end)
      throw new StemError(`${source}: tensor "${name}" lies outside the file (truncated?)`);
    const count = shape.reduce((a, b) => a * b, 1);
    if (end - begin !== count * width)
      throw new StemError(
        `${source}: tensor "${name}" spans ${end - begin} bytes, expected ${count * width} for shape [${shape}]`,
      );
    tensors.set(name, { shape: [...shape], data: decode(data.subarray(begin, end), dtype, count) });
  }
  return { tensors, metadata };
}

function decode(bytes: Buffer, dtype: string, count: number): Float32Array | Int32Array {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (dtype === 'I32') {
    const out = new Int32Array(count);
    for (let i = 0; i < count; i++) out[i] = view.getInt32(i * 4, true);
    return out;
  }
  const out = new Float32Array(count);
  if (dtype === 'F32') for (let i = 0; i < count; i++) out[i] = view.getFloat32(i * 4, true);
  else if (dtype === 'F64') for (let i = 0; i < count; i++) out[i] = view.getFloat64(i * 8, true);
  else if (dtype === 'F16')
    for (let i = 0; i < count; i++) out[i] = halfToFloat(view.getUint16(i * 2, true));
  else for (let i = 0; i < count; i++) out[i] = bfloat16ToFloat(view.getUint16(i * 2, true));
  return out;
}

export function serializeSafetensors(
  tensors: ReadonlyMap<string, RawTensor>,
  options: SafetensorsWriteOptions = {},
): Buffer {
  const float = options.float ?? 'F32';
  const names = [...tensors.keys()].sort();
  const header: Record<string, unknown> = {};
  let offset = 0;
  for (const name of names) {
    const tensor = tensors.get(name) as RawTensor;
    const count = tensor.shape.reduce((a, b) => a * b, 1);
    if (count !== tensor.data.length)
      throw new StemError(
        `cannot save tensor "${name}": shape [${tensor.shape}] holds ${count} values, the data ${tensor.data.length}`,
      );
    const dtype = tensor.data instanceof Int32Array ? 'I32' : float;
    const bytes = count * (WIDTH[dtype] as number);
    header[name] = { dtype, shape: tensor.shape, data_offsets: [offset, offset + bytes] };
    offset += bytes;
  }
  header['__metadata__'] = options.metadata ?? { format: 'pt' };
  let json = JSON.stringify(header);
  json += ' '.repeat((8 - (Buffer.byteLength(json) % 8)) % 8);
  const headerBytes = Buffer.from(json, 'utf8');
  const out = Buffer.alloc(8 + headerBytes.length + offset);
  out.writeBigUInt64LE(BigInt(headerBytes.length), 0);
  headerBytes.copy(out, 8);
  let at = 8 + headerBytes.length;
  for (const name of names) {
    const { data } = tensors.get(name) as RawTensor;
    const dtype = (header[name] as HeaderEntry).dtype;
    for (let i = 0; i < data.length; i++) {
      const value = data[i] as number;
      if (dtype === 'I32') at = out.writeInt32LE(value, at);
      else if (dtype === 'F32') at = out.writeFloatLE(value, at);
      else if (dtype === 'F16') at = out.writeUInt16LE(floatToHalf(value), at);
      else at = out.writeUInt16LE(floatToBfloat16(value), at);
    }
  }
  return out;
}

/** The codec core hands to plugins (registration facade) and uses for checkpoints. */
export const safetensors: SafetensorsCodec = {
  parse: parseSafetensors,
  serialize: serializeSafetensors,
  async read(file) {
    let bytes: Buffer;
    try {
      bytes = await readFile(file);
    } catch (error) {
      throw new StemError(`cannot read ${file}: ${(error as Error).message}`);
    }
    return parseSafetensors(bytes, file);
  },
  async write(file, tensors, options) {
    await writeFileAtomic(file, serializeSafetensors(tensors, options));
  },
};
