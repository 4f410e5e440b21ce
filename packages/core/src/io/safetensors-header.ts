import { StemError } from '../errors.js';

/** Bytes per element of the dtypes stem decodes. */
export const DTYPE_WIDTH: Readonly<Record<string, number>> = {
  F32: 4,
  F16: 2,
  BF16: 2,
  F64: 8,
  I32: 4,
};

/** Dtypes of the safetensors format that stem recognises but does not decode. */
const UNSUPPORTED_DTYPES = new Set([
  'BOOL',
  'U8',
  'I8',
  'U16',
  'I16',
  'U32',
  'U64',
  'I64',
  'F8_E4M3',
  'F8_E5M2',
]);

/**
 * The reference implementation refuses headers above 100 MB; a length beyond that is a
 * damaged first 8 bytes (or not a safetensors file), not a real header.
 */
export const MAX_HEADER_BYTES = 100_000_000;

export const WEIGHTS_INVALID = 'WEIGHTS_INVALID';
const HINT =
  'the file is damaged or incomplete: download, copy or export it again from where it came from';

export interface SafetensorsEntry {
  name: string;
  dtype: string;
  shape: number[];
  /** Offsets into the data region (after the header), begin inclusive, end exclusive. */
  begin: number;
  end: number;
}

export interface SafetensorsHeader {
  entries: SafetensorsEntry[];
  metadata: Record<string, string>;
  /** Where the data region starts in the file (8 + header length). */
  dataStart: number;
}

function invalid(source: string, problem: string): StemError {
  return new StemError(`${source}: ${problem}`, HINT, WEIGHTS_INVALID);
}

const isCount = (value: unknown): value is number =>
  typeof value === 'number' && Number.isSafeInteger(value) && value >= 0;

/**
 * Reads and checks the header of a safetensors file against the file's bytes, as the
 * reference implementation does: a sane header length within the file, a JSON object of
 * well-formed entries with known dtypes, each spanning exactly shape x dtype bytes, and the
 * entries tiling the data region without gap or overlap up to the file's end (so a truncated
 * or padded file is caught here, before any tensor is decoded). Errors name the file and the
 * tensor, with code WEIGHTS_INVALID.
 */
export function readSafetensorsHeader(buffer: Buffer, source: string): SafetensorsHeader {
  if (buffer.byteLength < 8)
    throw invalid(
      source,
      `too short to be a safetensors file (${buffer.byteLength} bytes; the header length alone takes 8)`,
    );
  const declared = buffer.readBigUInt64LE(0);
  if (declared > BigInt(MAX_HEADER_BYTES))
    throw invalid(
      source,
      `header length ${declared} is beyond the 100 MB limit: not a safetensors file, or its first 8 bytes are damaged`,
    );
  const headerLength = Number(declared);
  if (8 + headerLength > buffer.byteLength)
    throw invalid(
      source,
      `header length ${headerLength} exceeds the file size (${buffer.byteLength} bytes): the file is truncated`,
    );
  const text = buffer.subarray(8, 8 + headerLength);
  let header: unknown;
  try {
    header = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(text));
  } catch (error) {
    throw invalid(source, `header is not valid JSON (${(error as Error).message})`);
  }
  if (typeof header !== 'object' || header === null || Array.isArray(header))
    throw invalid(source, 'header is not a JSON object of tensors');
  const dataLength = buffer.byteLength - 8 - headerLength;
  const entries: SafetensorsEntry[] = [];
  let metadata: Record<string, string> = {};
  for (const [name, value] of Object.entries(header as Record<string, unknown>)) {
    if (name === '__metadata__') {
      metadata = checkMetadata(value, source);
      continue;
    }
    entries.push(checkEntry(name, value, source));
  }
  checkTiling(entries, dataLength, source);
  return { entries, metadata, dataStart: 8 + headerLength };
}

function checkMetadata(value: unknown, source: string): Record<string, string> {
  if (typeof value !== 'object' || value === null || Array.isArray(value))
    throw invalid(source, '__metadata__ is not an object of strings');
  for (const [key, field] of Object.entries(value))
    if (typeof field !== 'string') throw invalid(source, `__metadata__.${key} is not a string`);
  return value as Record<string, string>;
}

function checkEntry(name: string, value: unknown, source: string): SafetensorsEntry {
  const where = `tensor "${name}"`;
  if (typeof value !== 'object' || value === null)
    throw invalid(source, `${where} is not an object with dtype, shape and data_offsets`);
  const { dtype, shape, data_offsets: offsets } = value as Record<string, unknown>;
  if (typeof dtype !== 'string') throw invalid(source, `${where} has no dtype`);
  const width = DTYPE_WIDTH[dtype];
  if (width === undefined)
    throw invalid(
      source,
      `${where} has ${UNSUPPORTED_DTYPES.has(dtype) ? 'dtype' : 'unknown dtype'} ${dtype}; supported: ${Object.keys(DTYPE_WIDTH).join(', ')}`,
    );
  if (!Array.isArray(shape) || !shape.every(isCount))
    throw invalid(source, `${where} has shape ${JSON.stringify(shape)}, not a list of sizes`);
  if (!Array.isArray(offsets) || offsets.length !== 2 || !offsets.every(isCount))
    throw invalid(
      source,
      `${where} has data_offsets ${JSON.stringify(offsets)}, not [begin, end] byte offsets`,
    );
  const [begin, end] = offsets as [number, number];
  if (begin > end) throw invalid(source, `${where} has data_offsets [${begin}, ${end}] reversed`);
  const count = (shape as number[]).reduce((a, b) => a * b, 1);
  if (end - begin !== count * width)
    throw invalid(
      source,
      `${where} spans ${end - begin} bytes, expected ${count * width} for shape [${shape}] of ${dtype}`,
    );
  return { name, dtype, shape: [...(shape as number[])], begin, end };
}

/** The entries must cover the data region exactly once, in some order, from 0 to its end. */
function checkTiling(entries: SafetensorsEntry[], dataLength: number, source: string): void {
  const sorted = [...entries].sort((a, b) => a.begin - b.begin || a.end - b.end);
  let covered = 0;
  for (const entry of sorted) {
    if (entry.end > dataLength)
      throw invalid(
        source,
        `tensor "${entry.name}" lies outside the file (bytes ${entry.begin}..${entry.end} of a ${dataLength}-byte data region): the file is truncated`,
      );
    if (entry.begin < covered)
      throw invalid(
        source,
        `tensor "${entry.name}" overlaps the tensor before it (data_offsets start at ${entry.begin}, the previous one ends at ${covered})`,
      );
    if (entry.begin > covered)
      throw invalid(
        source,
        `${entry.begin - covered} bytes before tensor "${entry.name}" belong to no tensor (data_offsets must be contiguous)`,
      );
    covered = entry.end;
  }
  if (covered !== dataLength)
    throw invalid(
      source,
      `${dataLength - covered} bytes after the last tensor belong to no tensor (the header and the file size disagree)`,
    );
}
