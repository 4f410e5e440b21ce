import type { NamedTensorMap } from '../contracts/tensorflow.js';
import { StemError } from '../errors.js';
import type { BuiltExperiment } from './experiment.js';

export interface ModelDirectoryExport {
  directory: string;
  /** Head tensors stored beside the encoder's (e.g. `cls.predictions.*`), sorted. */
  headTensors: string[];
}

/**
 * Saves a trained experiment's encoder as a Hugging Face model directory (config.json,
 * model.safetensors, tokenizer files) that `encoder.path` loads, with every head's
 * `exportWeights()` stored beside the encoder's tensors (a masked-LM head makes it a
 * BertForMaskedLM checkpoint).
 */
export async function exportModelDirectory(
  built: BuiltExperiment,
  directory: string,
  options: { dtype?: 'float32' | 'float16' } = {},
): Promise<ModelDirectoryExport> {
  const extra: NamedTensorMap = {};
  try {
    for (const task of built.tasks) {
      for (const [name, tensor] of Object.entries(task.head.exportWeights?.() ?? {})) {
        if (name in extra) {
          tensor.dispose();
          throw new StemError(
            `two task heads export a tensor named "${name}" (the second is task "${task.name}")`,
            'export a run with one head of each kind',
          );
        }
        extra[name] = tensor;
      }
    }
    await built.encoder.save(directory, {
      ...(options.dtype ? { dtype: options.dtype } : {}),
      extraTensors: extra,
    });
    return { directory, headTensors: Object.keys(extra).sort() };
  } finally {
    for (const tensor of Object.values(extra)) tensor.dispose();
  }
}
