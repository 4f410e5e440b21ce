/** One tensor of a safetensors file as plain numbers: every float type reads as float32. */
export interface RawTensor {
  shape: number[];
  data: Float32Array | Int32Array;
}

/** Storage types of floating-point tensors when writing. */
export type SafetensorsFloat = 'F32' | 'F16' | 'BF16';

export interface SafetensorsContents {
  tensors: Map<string, RawTensor>;
  metadata: Record<string, string>;
}

export interface SafetensorsWriteOptions {
  /** How float tensors are stored (default F32); int32 tensors stay I32. */
  float?: SafetensorsFloat;
  metadata?: Record<string, string>;
}

/**
 * The one safetensors codec of stem (F32, F16, BF16, F64 and I32 read; F32, F16, BF16 and
 * I32 written), used by core's checkpoints and handed to plugins through the registration
 * facade so they read and write Hugging Face model directories without importing core.
 */
export interface SafetensorsCodec {
  /** Decodes a file's bytes; `source` names the file in errors. */
  parse(bytes: Uint8Array, source?: string): SafetensorsContents;
  /** Encodes tensors sorted by name, the header padded to 8 bytes. */
  serialize(tensors: ReadonlyMap<string, RawTensor>, options?: SafetensorsWriteOptions): Buffer;
  read(file: string): Promise<SafetensorsContents>;
  /** Writes atomically (temp file, fsync, rename). */
  write(
    file: string,
    tensors: ReadonlyMap<string, RawTensor>,
    options?: SafetensorsWriteOptions,
  ): Promise<void>;
}
