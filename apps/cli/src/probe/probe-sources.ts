import { existsSync, statSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { basename, join, resolve } from 'node:path';
import {
  SeededRandom,
  StemError,
  disposeExperiment,
  loadRun,
  type Encoder,
  type Sentence,
  type Split,
} from '@stem/core';
import { conlluToSentence, findCorpus, parseConllu } from '@stem/data';
import { ENCODER_ID } from '@stem/encoder-transformer';
import type { StemSession } from '../session/stem-session.js';
import { withDataErrors } from '../data-errors.js';

/** The corpus each probe task reads when `--data` names only a folder. */
export const DEFAULT_CORPUS: Record<string, string> = {
  pos: 'ud-ewt',
  dep: 'ud-ewt',
  ner: 'gum-ner',
  con: 'ewt-5',
  srl: 'ewt-5',
};

export interface ProbedModel {
  encoder: Encoder;
  kind: 'static' | 'run';
  /** Where the model came from, as given. */
  location: string;
  release(): void;
}

/**
 * A run directory (manifest.json: the best checkpoint's encoder) or a Hugging Face model
 * directory (config.json: the encoder as it is, no fine-tuning).
 */
export async function openProbedModel(
  session: StemSession,
  location: string,
): Promise<ProbedModel> {
  if (existsSync(join(location, 'manifest.json'))) {
    const { built } = await loadRun({ container: session.container }, location, { splits: [] });
    return {
      encoder: built.encoder,
      kind: 'run',
      location,
      release: () => disposeExperiment(built),
    };
  }
  if (!existsSync(join(location, 'config.json')))
    throw new StemError(
      `${location} is neither a run directory (no manifest.json) nor a Hugging Face model directory (no config.json)`,
      'pass a directory made by stem train, or one with config.json, model.safetensors and tokenizer files (stem model init makes one)',
      'NOT_A_MODEL',
    );
  const component = session.registry.require('encoder', ENCODER_ID);
  const config = component.schema.parse({ type: ENCODER_ID, path: location });
  const { type: _type, ...fields } = config as { type: string };
  const encoder = await component.registration.create(fields, {
    tf: session.tf,
    random: new SeededRandom(0),
    container: session.container,
  });
  return { encoder, kind: 'static', location, release: () => encoder.dispose() };
}

export interface ProbeData {
  /** Registered dataset id, or the file read. */
  source: string;
  read(split: Split): Promise<Sentence[]>;
}

/**
 * `--data` as a short corpus name or registered id (optionally with `--data-path`), a folder
 * (the task's default corpus read from there), or a CoNLL-U file (every split is that file).
 */
export async function openProbeData(
  session: StemSession,
  data: string | undefined,
  task: string,
  dataPath: string | undefined,
): Promise<ProbeData> {
  const given = data ?? DEFAULT_CORPUS[task] ?? 'ud-ewt';
  if (existsSync(given) && statSync(given).isFile()) {
    const file = resolve(given);
    return {
      source: file,
      read: async () =>
        parseConllu(await readFile(file, 'utf8'), file).sentences.map((s) => conlluToSentence(s)),
    };
  }
  const folder = existsSync(given) && statSync(given).isDirectory() ? given : undefined;
  const name = folder ? (DEFAULT_CORPUS[task] ?? 'ud-ewt') : given;
  const id = findCorpus(name)?.id ?? name;
  const component = session.registry.get('dataset', id);
  if (!component)
    throw new StemError(
      `unknown dataset ${given}`,
      `Known datasets: ${session.registry
        .list('dataset')
        .map((c) => c.registration.id)
        .join(', ')} (see stem data list), a folder, or a .conllu file.`,
      'UNKNOWN_DATASET',
    );
  const path = folder ?? dataPath;
  const parsed = component.schema.safeParse({ type: id, ...(path ? { path } : {}) });
  if (!parsed.success)
    throw new StemError(
      `dataset ${id} needs settings: ${parsed.error.message}`,
      'Pass --data-path.',
      'CONFIG_INVALID',
    );
  const { type: _type, ...fields } = parsed.data as { type: string };
  const reader = await component.registration.create(fields, {
    tf: session.tf,
    random: new SeededRandom(0),
    container: session.container,
  });
  return {
    source: id,
    read: (split) => withDataErrors(() => reader.read(split)),
  };
}

/** Where results go by default: the run's analyses folder, or probes/<model name>. */
export function defaultProbeDirectory(model: ProbedModel): string {
  return model.kind === 'run'
    ? join(model.location, 'analyses', 'probe')
    : join('probes', basename(resolve(model.location)));
}
