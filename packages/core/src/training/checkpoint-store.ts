import { readdir, readFile, rm } from 'node:fs/promises';
import { join } from 'node:path';
import type { NamedTensorMap, TensorFlow } from '../contracts/tensorflow.js';
import { StemError } from '../errors.js';
import { parseJsonText } from '../io/json-file.js';
import { readSafetensors, writeSafetensors } from '../io/safetensors.js';
import { writeJsonAtomic } from '../run/atomic-write.js';

/**
 * A checkpoint directory holding `weights-<step>.safetensors` files and one `state.json`
 * that names the current one. The weights file is written (atomically) before the state
 * that points at it, and older weights are removed only after, so a run killed at any
 * instant leaves a consistent checkpoint: the previous one or the new one.
 */
export class CheckpointStore {
  constructor(readonly directory: string) {}

  private get stateFile(): string {
    return join(this.directory, 'state.json');
  }

  async save<S extends object>(step: number, tensors: NamedTensorMap, state: S): Promise<void> {
    const weightsFile = `weights-${String(step).padStart(8, '0')}.safetensors`;
    await writeSafetensors(join(this.directory, weightsFile), tensors);
    await writeJsonAtomic(this.stateFile, { ...state, weightsFile });
    for (const entry of await readdir(this.directory)) {
      if (entry.startsWith('weights-') && entry !== weightsFile)
        await rm(join(this.directory, entry), { force: true });
    }
  }

  async exists(): Promise<boolean> {
    try {
      await readFile(this.stateFile);
      return true;
    } catch {
      return false;
    }
  }

  async load<S extends object>(tf: TensorFlow): Promise<{ state: S; tensors: NamedTensorMap }> {
    let text: string;
    try {
      text = await readFile(this.stateFile, 'utf8');
    } catch {
      throw new StemError(
        `no checkpoint in ${this.directory} (state.json is missing)`,
        'the run never reached its first checkpoint; start it again',
        'RUN_INVALID',
      );
    }
    const state = parseJsonText<S & { weightsFile: string }>(
      text,
      this.stateFile,
      'the checkpoint is damaged; resume from another copy of the run or start it again',
    );
    if (typeof state?.weightsFile !== 'string') {
      throw new StemError(
        `${this.stateFile}: field weightsFile is missing (expected the name of the weights file)`,
        'the checkpoint is damaged; resume from another copy of the run or start it again',
        'RUN_INVALID',
      );
    }
    const { tensors } = await readSafetensors(tf, join(this.directory, state.weightsFile));
    return { state, tensors };
  }
}

/** Splits `prefix/name` keyed tensors back into the part under `prefix/`. */
export function underPrefix(tensors: NamedTensorMap, prefix: string): NamedTensorMap {
  const selected: NamedTensorMap = {};
  for (const [name, tensor] of Object.entries(tensors))
    if (name.startsWith(`${prefix}/`)) selected[name.slice(prefix.length + 1)] = tensor;
  return selected;
}

export function withPrefix(tensors: NamedTensorMap, prefix: string): NamedTensorMap {
  return Object.fromEntries(
    Object.entries(tensors).map(([name, tensor]) => [`${prefix}/${name}`, tensor]),
  );
}
