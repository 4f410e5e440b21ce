import { existsSync } from 'node:fs';
import { stat } from 'node:fs/promises';
import { join } from 'node:path';
import type { SafetensorsCodec } from '@stem/core';
import {
  matchTensors,
  readArchitecture,
  readSafetensorsOf,
  WEIGHTS_FILE,
} from '../io/checkpoint.js';

/** What `stem model inspect` says of a model's weights after reading every byte of them. */
export interface WeightsCheck {
  file: string;
  /** True when the file decodes, matches config.json and holds only finite numbers. */
  intact: boolean;
  /** File size in bytes (0 when the file is missing). */
  bytes: number;
  /** Tensors the file holds (0 when it cannot be decoded). */
  tensors: number;
  /** Each thing wrong, naming the tensor; empty when intact. */
  problems: string[];
}

/**
 * Reads model.safetensors through core's codec (which checks the header against the file:
 * lengths, offsets, dtypes, sizes) and then checks it against config.json (every tensor the
 * architecture needs, with its shape) and for NaN or infinite values. Problems are collected,
 * not thrown, so a damaged model can still be described.
 */
export async function checkModelWeights(
  directory: string,
  safetensors: SafetensorsCodec,
): Promise<WeightsCheck> {
  const file = join(directory, WEIGHTS_FILE);
  if (!existsSync(file))
    return { file, intact: false, bytes: 0, tensors: 0, problems: [`${file} does not exist`] };
  const bytes = (await stat(file)).size;
  const { architecture } = await readArchitecture(directory);
  let stored;
  try {
    stored = await readSafetensorsOf(file, safetensors);
  } catch (error) {
    return { file, intact: false, bytes, tensors: 0, problems: [(error as Error).message] };
  }
  const { tensors, problems } = matchTensors(stored, architecture);
  for (const [name, { data }] of tensors) {
    const nonFinite = data.reduce((n, value) => (Number.isFinite(value) ? n : n + 1), 0);
    if (nonFinite > 0) problems.push(`tensor "${name}" holds ${nonFinite} NaN or infinite values`);
  }
  return { file, intact: problems.length === 0, bytes, tensors: stored.size, problems };
}
