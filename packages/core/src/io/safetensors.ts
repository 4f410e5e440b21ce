import { readFile } from 'node:fs/promises';
import type { NamedTensorMap, Tensor, TensorFlow } from '../contracts/tensorflow.js';
import { StemError } from '../errors.js';
import { writeFileAtomic } from '../run/atomic-write.js';

/**
 * The safetensors layout (8-byte little-endian header length, JSON header of dtype / shape /
 * byte offsets, then raw little-endian data), used for checkpoints: readable by Python
 * tooling, and a torn file is detectable from its header.
 */
const DTYPES = { float32: 'F32', int32: 'I32' } as const;

interface HeaderEntry {
  dtype: string;
  shape: number[];
  data_offsets: [number, number];
}

export async function writeSafetensors(
  file: string,
  tensors: NamedTensorMap,
  metadata: Record<string, string> = {},
): Promise<void> {
  const names = Object.keys(tensors).sort();
  const header: Record<string, HeaderEntry | Record<string, string>> = { __metadata__: metadata };
  const chunks: Uint8Array[] = [];
  let offset = 0;
  for (const name of names) {
    const tensor = tensors[name] as Tensor;
    const dtype = DTYPES[tensor.dtype as keyof typeof DTYPES];
    if (!dtype)
      throw new StemError(
        `cannot save tensor "${name}" of dtype ${tensor.dtype} (float32 and int32 only)`,
      );
    const values = await tensor.data();
    const bytes = new Uint8Array(values.buffer, values.byteOffset, values.byteLength).slice();
    header[name] = {
      dtype,
      shape: [...tensor.shape],
      data_offsets: [offset, offset + bytes.byteLength],
    };
    chunks.push(bytes);
    offset += bytes.byteLength;
  }
  let headerText = JSON.stringify(header);
  headerText += ' '.repeat((8 - (headerText.length % 8)) % 8);
  const headerBytes = Buffer.from(headerText, 'utf8');
  const length = Buffer.alloc(8);
  length.writeBigUInt64LE(BigInt(headerBytes.byteLength));
  await writeFileAtomic(file, Buffer.concat([length, headerBytes, ...chunks]));
}

export async function readSafetensors(
  tf: TensorFlow,
  file: string,
): Promise<{ tensors: NamedTensorMap; metadata: Record<string, string> }> {
  let buffer: Buffer;
  try {
    buffer = await readFile(file);
  } catch (error) {
    throw new StemError(
      `cannot read ${file}: ${(error as Error).message}`,
      'the checkpoint is missing; resume from another run directory or train again',
    );
  }
  if (buffer.byteLength < 8) throw new StemError(`${file}: truncated (${buffer.byteLength} bytes)`);
  const headerLength = Number(buffer.readBigUInt64LE(0));
  if (8 + headerLength > buffer.byteLength)
    throw new StemError(`${file}: header length ${headerLength} exceeds the file size`);
  let header: Record<string, HeaderEntry | Record<string, string>>;
  try {
    header = JSON.parse(buffer.subarray(8, 8 + headerLength).toString('utf8'));
  } catch (error) {
    throw new StemError(`${file}: header is not JSON (${(error as Error).message})`);
  }
  const data = buffer.subarray(8 + headerLength);
  const tensors: NamedTensorMap = {};
  let metadata: Record<string, string> = {};
  for (const [name, entry] of Object.entries(header)) {
    if (name === '__metadata__') {
      metadata = entry as Record<string, string>;
      continue;
    }
    const {
      dtype,
      shape,
      data_offsets: [start, end],
    } = entry as HeaderEntry;
    if (end > data.byteLength || start > end)
      throw new StemError(`${file}: tensor "${name}" lies outside the file (truncated?)`);
    const bytes = data.subarray(start, end);
    const aligned = new Uint8Array(bytes).buffer;
    if (dtype === 'F32') tensors[name] = tf.tensor(new Float32Array(aligned), shape, 'float32');
    else if (dtype === 'I32') tensors[name] = tf.tensor(new Int32Array(aligned), shape, 'int32');
    else throw new StemError(`${file}: tensor "${name}" has unsupported dtype ${dtype}`);
  }
  return { tensors, metadata };
}
