import { existsSync } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import type { RawTensor, SafetensorsCodec, SafetensorsFloat } from '@stem/core';
import { EncoderError } from '../errors.js';
import { writeFailed, writeTextAtomic } from './atomic-text.js';
import { readModelJson } from './json-file.js';
import {
  type Architecture,
  architectureFromHf,
  architectureToHf,
  expectedTensors,
} from '../model/architecture.js';

export const CONFIG_FILE = 'config.json';
export const WEIGHTS_FILE = 'model.safetensors';

/** A float tensor in PyTorch layout, as read from or written to model.safetensors. */
export interface FloatTensor {
  shape: number[];
  data: Float32Array;
}

/** Prefixes Hugging Face uses for the base model inside task models (BertForX keeps `bert.`). */
const MODEL_PREFIXES = ['', 'bert.', 'roberta.', 'electra.'];

export async function readArchitecture(
  directory: string,
): Promise<{ architecture: Architecture; config: Record<string, unknown> }> {
  const path = join(directory, CONFIG_FILE);
  if (!existsSync(path))
    throw new EncoderError(
      `${path} does not exist`,
      'a model directory holds config.json, model.safetensors and tokenizer files',
    );
  const config = await readModelJson<Record<string, unknown>>(path);
  try {
    return { architecture: architectureFromHf(config, path), config };
  } catch (error) {
    throw new EncoderError((error as Error).message);
  }
}

/**
 * Reads model.safetensors and checks it against the architecture: every expected tensor
 * present with the expected shape. Task-head tensors of a full HF model (pooler, lm heads,
 * discriminator_predictions) are ignored; any other unexpected encoder tensor is an error.
 */
export async function readWeights(
  directory: string,
  architecture: Architecture,
  safetensors: SafetensorsCodec,
): Promise<Map<string, FloatTensor>> {
  const path = join(directory, WEIGHTS_FILE);
  if (!existsSync(path))
    throw new EncoderError(
      `${path} does not exist`,
      'only safetensors checkpoints are read; convert pytorch_model.bin with safetensors.torch.save_file',
    );
  return checkTensors(await readSafetensorsOf(path, safetensors), architecture, path);
}

/** The hint of a damaged model.safetensors (WEIGHTS_INVALID from core's codec). */
const DAMAGED_WEIGHTS_HINT =
  'model.safetensors is damaged or incomplete: download or export the model again';

/** Reads a model's safetensors file; a damaged one keeps the codec's code with a model hint. */
export async function readSafetensorsOf(
  path: string,
  safetensors: SafetensorsCodec,
): Promise<ReadonlyMap<string, RawTensor>> {
  try {
    return (await safetensors.read(path)).tensors;
  } catch (error) {
    const code = (error as { code?: unknown }).code;
    if (code === 'WEIGHTS_INVALID')
      throw new EncoderError((error as Error).message, DAMAGED_WEIGHTS_HINT, 'WEIGHTS_INVALID');
    throw error;
  }
}

export function checkTensors(
  original: ReadonlyMap<string, RawTensor>,
  architecture: Architecture,
  path = WEIGHTS_FILE,
): Map<string, FloatTensor> {
  const { tensors, problems } = matchTensors(original, architecture);
  if (problems.length > 0) {
    throw new EncoderError(
      `${path} does not match config.json: ${problems.join('; ')}`,
      'check that config.json belongs to these weights',
      'MODEL_INVALID',
    );
  }
  return tensors;
}

/**
 * Every expected tensor of the architecture with its shape, as floats; `problems` lists each
 * one missing, misshapen or stored as integers, and each unexpected encoder tensor.
 */
export function matchTensors(
  original: ReadonlyMap<string, RawTensor>,
  architecture: Architecture,
): { tensors: Map<string, FloatTensor>; problems: string[] } {
  const stored = withModernNames(original);
  const expected = expectedTensors(architecture);
  const prefix =
    MODEL_PREFIXES.find((candidate) =>
      stored.has(`${candidate}embeddings.word_embeddings.weight`),
    ) ?? '';
  const out = new Map<string, FloatTensor>();
  const problems: string[] = [];
  for (const [name, shape] of expected) {
    const tensor = stored.get(prefix + name);
    if (!tensor) problems.push(`missing tensor "${prefix}${name}" (expected shape [${shape}])`);
    else if (
      tensor.shape.length !== shape.length ||
      tensor.shape.some((dim, i) => dim !== shape[i])
    ) {
      problems.push(`tensor "${prefix}${name}" has shape [${tensor.shape}], expected [${shape}]`);
    } else if (tensor.data instanceof Int32Array)
      problems.push(`tensor "${prefix}${name}" is stored as integers, expected floats`);
    else out.set(name, { shape: tensor.shape, data: tensor.data });
  }
  for (const name of stored.keys()) {
    if (!name.startsWith(prefix)) continue;
    const local = name.slice(prefix.length);
    if (expected.has(local) || isIgnorable(local)) continue;
    problems.push(`unexpected tensor "${name}"`);
  }
  return { tensors: out, problems };
}

/** Checkpoints converted from the original TF releases (bert-base-cased) still call LayerNorm's parameters gamma/beta. */
function withModernNames(stored: ReadonlyMap<string, RawTensor>): ReadonlyMap<string, RawTensor> {
  if (![...stored.keys()].some((name) => /LayerNorm\.(gamma|beta)$/.test(name))) return stored;
  return new Map(
    [...stored].map(([name, tensor]) => [
      name
        .replace(/LayerNorm\.gamma$/, 'LayerNorm.weight')
        .replace(/LayerNorm\.beta$/, 'LayerNorm.bias'),
      tensor,
    ]),
  );
}

/** Tensors of heads on top of the encoder, or buffers, that the encoder does not use. */
function isIgnorable(name: string): boolean {
  return (
    name.startsWith('pooler.') ||
    // Masked-LM heads saved beside the encoder (stem pretrain, BertForMaskedLM).
    name.startsWith('cls.') ||
    name.endsWith('position_ids') ||
    name.endsWith('token_type_ids')
  );
}

export async function writeCheckpoint(
  directory: string,
  architecture: Architecture,
  tensors: ReadonlyMap<string, RawTensor>,
  safetensors: SafetensorsCodec,
  options: { extraConfig?: Record<string, unknown>; float?: SafetensorsFloat } = {},
): Promise<void> {
  const extraConfig = options.extraConfig ?? {};
  await mkdir(directory, { recursive: true }).catch((error: unknown) => {
    throw writeFailed(directory, error);
  });
  // Both files are replaced atomically (weights by core's codec), so an interrupted save
  // leaves each file whole: old or new.
  await safetensors.write(join(directory, WEIGHTS_FILE), tensors, {
    float: options.float ?? 'F32',
    metadata: { format: 'pt' },
  });
  await writeTextAtomic(
    join(directory, CONFIG_FILE),
    `${JSON.stringify(architectureToHf(architecture, extraConfig), null, 2)}\n`,
  );
}
