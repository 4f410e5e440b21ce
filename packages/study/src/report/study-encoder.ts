import { createHash } from 'node:crypto';
import { createReadStream, existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { dirname, isAbsolute, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The file a model directory may carry beside config.json: its quality gates. */
export const QUALITY_GATES_FILE = 'quality-gates.json';
export const QUALITY_GATES_FORMAT = 'stem.quality-gates.v1';

/** One quality gate of a pretrained encoder (packages/model-stem-mini/model/quality-gates.json). */
export interface QualityGate {
  id: string;
  requirement: string;
  passed: boolean;
  /** One line with the numbers, e.g. "best head 38.63% vs baseline 38.56%". */
  result: string;
  measured?: Record<string, unknown>;
}

export interface QualityGates {
  format: typeof QUALITY_GATES_FORMAT;
  model: string;
  architecture?: string;
  /** How the weights were pretrained, in words. */
  pretraining?: string;
  card?: string;
  weights?: { file: string; sha256: string };
  passed: boolean;
  gates: QualityGate[];
}

/**
 * What a run's encoder was, from its manifest's resolved config: a pretrained checkpoint
 * (`encoder.path`, weights "pretrained"), or random weights (`encoder.architecture`, or
 * `weights: random` over a checkpoint's shape), with the checkpoint's quality gates when its
 * directory carries quality-gates.json.
 */
export interface EncoderDescription {
  weights: 'pretrained' | 'random';
  /** `encoder.path` as the config wrote it (relative to where the run was started). */
  path?: string;
  /** The model directory found from here, when it was found. */
  location?: string;
  /** e.g. "stem-mini", or the path's last folders, or "random BERT". */
  name: string;
  architecture?: { arch: string; layers: number; heads: number; hidden: number };
  qualityGates?: QualityGates;
  /** Whether the directory's weights are the ones the gates were measured on (sha256). */
  gatesMatchWeights?: boolean;
  /** Why gates or architecture could not be read. */
  problems: string[];
}

type Architecture = NonNullable<EncoderDescription['architecture']>;

const asNumber = (value: unknown): number | undefined =>
  typeof value === 'number' && Number.isFinite(value) ? value : undefined;

/** "packages/model-stem-mini/model" -> "model-stem-mini/model": enough to recognise it. */
function shortName(path: string): string {
  return path.replace(/\\/g, '/').replace(/\/+$/, '').split('/').slice(-2).join('/');
}

/** The stem checkout this CLI runs from (apps/cli/{src,dist}/report/ -> the root). */
const checkoutRoot = fileURLToPath(new URL('../../../../', import.meta.url));

/**
 * A relative path resolves against the folder the run was started in, which the manifest
 * does not record: the first of the current folder, every folder above `near`, and the stem
 * checkout (where the example configs' paths start) that holds `marker`.
 */
export function locateRelative(path: string, near: string, marker: string): string | undefined {
  if (isAbsolute(path)) return existsSync(join(path, marker)) ? path : undefined;
  const candidates = [resolve(path)];
  for (let folder = resolve(near); ; folder = dirname(folder)) {
    candidates.push(resolve(folder, path));
    if (dirname(folder) === folder) break;
  }
  candidates.push(resolve(checkoutRoot, path));
  return candidates.find((candidate) => existsSync(join(candidate, marker)));
}

/** Layers, heads and hidden size of a Hugging Face config.json. */
async function architectureOf(directory: string): Promise<Architecture | undefined> {
  const config = JSON.parse(await readFile(join(directory, 'config.json'), 'utf8')) as Record<
    string,
    unknown
  >;
  const layers = asNumber(config['num_hidden_layers']);
  const heads = asNumber(config['num_attention_heads']);
  const hidden = asNumber(config['hidden_size']);
  if (layers === undefined || heads === undefined || hidden === undefined) return undefined;
  return { arch: String(config['model_type'] ?? 'bert'), layers, heads, hidden };
}

/** Reads and checks a quality-gates.json; throws with what is wrong. */
export async function readQualityGates(file: string): Promise<QualityGates> {
  const json = JSON.parse(await readFile(file, 'utf8')) as Partial<QualityGates>;
  if (json.format !== QUALITY_GATES_FORMAT)
    throw new Error(`${file}: format is ${String(json.format)}, expected ${QUALITY_GATES_FORMAT}`);
  if (!Array.isArray(json.gates) || json.gates.length === 0) throw new Error(`${file}: no gates`);
  const gates = json.gates.map((gate, k) => {
    if (typeof gate?.id !== 'string' || typeof gate.passed !== 'boolean')
      throw new Error(`${file}: gates[${k}] needs an id and passed (true/false)`);
    return {
      id: gate.id,
      requirement: String(gate.requirement ?? ''),
      passed: gate.passed,
      result: String(gate.result ?? ''),
      ...(gate.measured ? { measured: gate.measured } : {}),
    };
  });
  return {
    format: QUALITY_GATES_FORMAT,
    model: String(json.model ?? 'unnamed model'),
    ...(json.architecture ? { architecture: String(json.architecture) } : {}),
    ...(json.pretraining ? { pretraining: String(json.pretraining) } : {}),
    ...(json.card ? { card: String(json.card) } : {}),
    ...(json.weights?.file && json.weights.sha256 ? { weights: json.weights } : {}),
    // Passed only when every gate passed, whatever the top-level field claims.
    passed: json.passed === true && gates.every((g) => g.passed),
    gates,
  };
}

async function sha256(file: string): Promise<string> {
  const hash = createHash('sha256');
  for await (const chunk of createReadStream(file)) hash.update(chunk as Buffer);
  return hash.digest('hex');
}

/** Weights are hashed once per report, however many runs name them. */
const weightHashes = new Map<string, Promise<string>>();

/** Describes the encoder of a run from its manifest's `config.encoder` section. */
export async function describeEncoder(
  encoderConfig: unknown,
  runDirectory: string,
): Promise<EncoderDescription> {
  const config = (encoderConfig ?? {}) as Record<string, unknown>;
  const problems: string[] = [];
  const path = typeof config['path'] === 'string' ? config['path'] : undefined;
  const given = config['architecture'] as Record<string, unknown> | undefined;
  if (!path) {
    const architecture: Architecture | undefined = given
      ? {
          arch: String(given['arch'] ?? 'bert'),
          layers: asNumber(given['layers']) ?? 0,
          heads: asNumber(given['heads']) ?? 0,
          hidden: asNumber(given['hidden']) ?? 0,
        }
      : undefined;
    if (!architecture)
      problems.push('the run config names neither encoder.path nor encoder.architecture');
    return {
      weights: 'random',
      name: `random ${(architecture?.arch ?? 'transformer').toUpperCase()}`,
      ...(architecture ? { architecture } : {}),
      problems,
    };
  }
  const weights = config['weights'] === 'random' ? 'random' : 'pretrained';
  const location = locateRelative(path, runDirectory, 'config.json');
  const description: EncoderDescription = {
    weights,
    path,
    name:
      weights === 'random' ? `random weights in the shape of ${shortName(path)}` : shortName(path),
    problems,
    ...(location ? { location } : {}),
  };
  if (!location) {
    problems.push(
      `encoder.path ${path} was not found from ${process.cwd()}, above ${runDirectory} or in the stem checkout: its architecture and quality gates are unknown`,
    );
    return description;
  }
  try {
    const architecture = await architectureOf(location);
    if (architecture) description.architecture = architecture;
  } catch (error) {
    problems.push(`${join(location, 'config.json')}: ${(error as Error).message}`);
  }
  // Fresh weights in a checkpoint's shape: the checkpoint's gates say nothing about them.
  if (weights === 'random') return description;
  const gatesFile = join(location, QUALITY_GATES_FILE);
  if (!existsSync(gatesFile)) return description;
  try {
    const gates = await readQualityGates(gatesFile);
    description.qualityGates = gates;
    description.name = gates.model;
    if (gates.weights) {
      const weightsFile = join(location, gates.weights.file);
      if (existsSync(weightsFile)) {
        let hash = weightHashes.get(weightsFile);
        if (!hash) {
          hash = sha256(weightsFile);
          weightHashes.set(weightsFile, hash);
        }
        description.gatesMatchWeights = (await hash) === gates.weights.sha256;
        if (!description.gatesMatchWeights)
          problems.push(
            `${weightsFile} is not the file ${gatesFile} was measured on (sha256 differs): its gates do not apply`,
          );
      }
    }
  } catch (error) {
    problems.push((error as Error).message);
  }
  return description;
}

/** One key per distinct encoder, to tell whether a study's runs share one. */
export function encoderKey(encoder: EncoderDescription): string {
  return [
    encoder.weights,
    encoder.location ?? encoder.path ?? '',
    encoder.architecture ? JSON.stringify(encoder.architecture) : '',
  ].join('|');
}
