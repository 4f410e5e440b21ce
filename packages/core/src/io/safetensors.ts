import type { NamedTensorMap, Tensor, TensorFlow } from '../contracts/tensorflow.js';
import type { RawTensor } from '../contracts/safetensors.js';
import { StemError } from '../errors.js';
import { safetensors } from './safetensors-codec.js';
import { WEIGHTS_INVALID } from './safetensors-header.js';

/** Checkpoint io: tf tensors through the one safetensors codec (float32 and int32 kept exactly). */
export async function writeSafetensors(
  file: string,
  tensors: NamedTensorMap,
  metadata: Record<string, string> = {},
): Promise<void> {
  const raw = new Map<string, RawTensor>();
  for (const name of Object.keys(tensors)) {
    const tensor = tensors[name] as Tensor;
    if (tensor.dtype !== 'float32' && tensor.dtype !== 'int32')
      throw new StemError(
        `cannot save tensor "${name}" of dtype ${tensor.dtype} (float32 and int32 only)`,
      );
    raw.set(name, {
      shape: [...tensor.shape],
      data: (await tensor.data()) as Float32Array | Int32Array,
    });
  }
  await safetensors.write(file, raw, { metadata });
}

export async function readSafetensors(
  tf: TensorFlow,
  file: string,
): Promise<{ tensors: NamedTensorMap; metadata: Record<string, string> }> {
  let contents;
  try {
    contents = await safetensors.read(file);
  } catch (error) {
    if (error instanceof StemError && error.code === 'FILE_UNREADABLE')
      throw new StemError(
        error.message,
        'the checkpoint is missing; resume from another run directory or train again',
        'RUN_INVALID',
      );
    if (error instanceof StemError && error.code === WEIGHTS_INVALID)
      throw new StemError(
        error.message,
        'the checkpoint is damaged (a disk error or a copy cut short); resume from another copy of the run or train again',
        WEIGHTS_INVALID,
      );
    throw error;
  }
  const tensors: NamedTensorMap = {};
  for (const [name, { shape, data }] of contents.tensors)
    tensors[name] = tf.tensor(data, shape, data instanceof Int32Array ? 'int32' : 'float32');
  return { tensors, metadata: contents.metadata };
}
