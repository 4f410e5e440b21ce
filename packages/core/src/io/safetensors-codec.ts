import { readFile } from 'node:fs/promises';
import type {
  RawTensor,
  SafetensorsCodec,
  SafetensorsContents,
  SafetensorsWriteOptions,
} from '../contracts/safetensors.js';
import { StemError } from '../errors.js';
import { writeFileAtomic } from '../run/atomic-write.js';
import { DTYPE_WIDTH, readSafetensorsHeader } from './safetensors-header.js';
import { bfloat16ToFloat, floatToBfloat16, floatToHalf, halfToFloat } from './float16.js';

/**
 * The safetensors layout: 8-byte little-endian header length, a JSON header
 * `{name: {dtype, shape, data_offsets: [begin, end]}, __metadata__}`, then raw
 * little-endian data. Readable by Python tooling; the header is checked against the
 * file's bytes before anything is decoded (safetensors-header.ts).
 */
export function parseSafetensors(bytes: Uint8Array, source = 'safetensors'): SafetensorsContents {
  const buffer = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const { entries, metadata, dataStart } = readSafetensorsHeader(buffer, source);
  const data = buffer.subarray(dataStart);
  const tensors = new Map<string, RawTensor>();
  for (const { name, dtype, shape, begin, end } of entries) {
    const count = shape.reduce((a, b) => a * b, 1);
    tensors.set(name, { shape, data: decode(data.subarray(begin, end), dtype, count) });
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
    const bytes = count * (DTYPE_WIDTH[dtype] as number);
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
    const dtype = (header[name] as { dtype: string }).dtype;
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
      throw new StemError(
        `cannot read ${file}: ${(error as Error).message}`,
        'check the path and its permissions',
        'FILE_UNREADABLE',
      );
    }
    return parseSafetensors(bytes, file);
  },
  async write(file, tensors, options) {
    await writeFileAtomic(file, serializeSafetensors(tensors, options));
  },
};
