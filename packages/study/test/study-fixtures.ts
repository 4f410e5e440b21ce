/**
 * Hand-built study folders in the formats the producers write: manifest.json (core's
 * RunManifest, written by every training command), results.json (the trainer's
 * TrainingResult), pruning/gates.json (analyzer-pruning's PruningSummary, stem prune),
 * probe-<task>.json (analyzer-probe's ProbeResult, stem probe), overlap.json (analyzeOverlap,
 * stem analyze overlap) and a model directory (config.json, weights, quality-gates.json).
 */
import { createHash } from 'node:crypto';
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { analyzeOverlap, type PruningRunGates } from '@stem/analyzer-pruning';
import type { ProbeResult } from '@stem/analyzer-probe';

const TASK_TYPES: Record<string, string> = {
  pos: 'stem.task.pos.softmax.v1',
  dep: 'stem.task.dep.biaffine.v1',
  ner: 'stem.task.ner.biaffine.v1',
};
const PRIMARY: Record<string, string> = { pos: 'accuracy', dep: 'las', ner: 'f1' };

async function writeJson(file: string, value: unknown): Promise<void> {
  await mkdir(join(file, '..'), { recursive: true });
  await writeFile(file, `${JSON.stringify(value, null, 2)}\n`);
}

export interface RunFixture {
  directory: string;
  seed: number;
  /** Task -> primary test score (a fraction); a task without a score has no results.json entry. */
  scores: Record<string, number | undefined>;
  encoder: Record<string, unknown>;
  /** Final evaluation gates [layers][heads]: makes it a pruning run (stem prune). */
  gates?: number[][];
  /** false: the run has not finished (no results.json). */
  finished?: boolean;
}

/** A run directory as `stem train` (or `stem prune` with `gates`) leaves it. */
export async function writeRun(run: RunFixture): Promise<void> {
  const tasks = Object.keys(run.scores);
  const name = `${tasks.join('-')}${run.gates ? '-dp' : ''}`;
  const config = {
    name,
    seed: run.seed,
    device: 'wasm',
    paths: {},
    encoder: {
      type: 'stem.encoder.transformer.v1',
      pooling: 'mean',
      wordDropout: 0.2,
      trainable: true,
      ...run.encoder,
    },
    tasks: Object.fromEntries(
      tasks.map((t) => [t, { type: TASK_TYPES[t], dataset: { type: 'stem.dataset.ud-ewt.v1' } }]),
    ),
    analyzers: {},
    trainingComponents: run.gates
      ? { pruning: { type: 'stem.training.head-gates.hard-concrete.v1', learningRate: 0.001 } }
      : {},
    trainer: { epochs: 1 },
    output: { directory: 'runs' },
  };
  await writeJson(join(run.directory, 'manifest.json'), {
    format: 1,
    name,
    createdAt: '2026-11-27T12:00:00.000Z',
    seed: run.seed,
    config,
    command: ['train', '-c', 'study.yaml'],
    versions: { node: 'v22.0.0', core: '0.1.0', packages: [] },
    plugins: [],
    backend: { name: 'wasm' },
    host: { platform: 'linux', arch: 'x64', cpus: 2, memoryGiB: 8 },
  });
  if (run.finished === false) return;
  const metrics = Object.fromEntries(
    Object.entries(run.scores)
      .filter(([, v]) => v !== undefined)
      .map(([task, value]) => [
        task,
        { primary: PRIMARY[task], scores: { [PRIMARY[task]!]: value, loss: 1.5 } },
      ]),
  );
  await writeJson(join(run.directory, 'results.json'), {
    epochsTrained: 1,
    steps: 10,
    best: { score: 0.5, epoch: 1 },
    stoppedEarly: false,
    // Dev scores differ from test: the report must take test.
    dev: Object.fromEntries(
      Object.keys(metrics).map((t) => [
        t,
        { primary: PRIMARY[t], scores: { [PRIMARY[t]!]: 0.01 } },
      ]),
    ),
    test: metrics,
  });
  if (run.gates) {
    const kept = run.gates.map((row) => row.map((g): number => (g > 1e-3 ? 1 : 0)));
    const keptHeads = kept.flat().reduce((a, b) => a + b, 0);
    const total = kept.flat().length;
    await writeJson(join(run.directory, 'pruning', 'gates.json'), {
      format: 1,
      component: 'pruning',
      tasks,
      seed: run.seed,
      final: {
        lambda: 0.01,
        lambdaSource: 'paper',
        gates: run.gates,
        logAlpha: run.gates.map((row) => row.map(() => 0)),
        kept,
        keptHeads,
        totalHeads: total,
        keptFraction: keptHeads / total,
        keptFractionPerLayer: kept.map((row) => row.reduce((a, b) => a + b, 0) / row.length),
      },
      evaluations: [],
      primary: Object.fromEntries(tasks.map((t) => [t, PRIMARY[t]])),
      scores: { gated: { dev: {} }, open: { dev: {} } },
    });
  }
}

/** A probe result with the given best-head accuracy per label (a 4 x 2 encoder). */
export function probeResult(
  task: 'pos' | 'dep',
  labels: Record<string, number>,
  source?: ProbeResult['source'],
): ProbeResult {
  const entries = Object.entries(labels);
  const grid = (value: number) => [
    [value, 0],
    [0, 0],
    [0, 0],
    [0, 0],
  ];
  const macro = entries.reduce((sum, [, a]) => sum + a, 0) / entries.length;
  return {
    format: 'stem.probe-result.v1',
    probe: task === 'dep' ? 'attention' : 'centroid',
    task,
    split: 'test',
    ...(task === 'dep' ? {} : { fit: 'test' }),
    ...(source ? { source } : {}),
    layers: 4,
    heads: 2,
    sentences: 5,
    skipped: {},
    items: entries.length * 10,
    labels: entries.map(([label, accuracy]) => ({
      label,
      count: 10,
      accuracy: grid(accuracy),
      best: { layer: 0, head: 0, accuracy },
    })),
    weightedAccuracy: grid(macro),
    bestHead: { layer: 0, head: 0, accuracy: macro },
    macroBestAccuracy: macro,
  };
}

export async function writeProbe(file: string, result: ProbeResult): Promise<void> {
  await writeJson(file, result);
}

/**
 * overlap.json as `stem analyze overlap --include-undecided` writes it, from the producer's own
 * analysis (the fixtures' gates such as 0.9 are not all 0 or 1; counted, as before).
 */
export async function writeOverlap(file: string, runs: PruningRunGates[]): Promise<void> {
  await writeJson(file, analyzeOverlap(runs, { includeUndecided: true }));
}

/**
 * A Hugging Face model directory (config.json and a weights file) with, when `gates` is
 * given, a quality-gates.json whose sha256 is the weights' (or `sha256` to make it wrong).
 */
export async function writeModel(
  directory: string,
  gates?: { passed: boolean[]; sha256?: string; model?: string },
): Promise<void> {
  await writeJson(join(directory, 'config.json'), {
    architectures: ['BertModel'],
    model_type: 'bert',
    num_hidden_layers: 4,
    num_attention_heads: 2,
    hidden_size: 8,
  });
  const weights = Buffer.from('not really safetensors, only hashed');
  await writeFile(join(directory, 'model.safetensors'), weights);
  if (!gates) return;
  await writeJson(join(directory, 'quality-gates.json'), {
    format: 'stem.quality-gates.v1',
    model: gates.model ?? 'tiny-test-bert',
    pretraining: 'masked LM on a test corpus, 10 updates',
    weights: {
      file: 'model.safetensors',
      sha256: gates.sha256 ?? createHash('sha256').update(weights).digest('hex'),
    },
    passed: gates.passed.every(Boolean),
    gates: gates.passed.map((passed, k) => ({
      id: 'abc'[k],
      requirement: `requirement ${'abc'[k]}`,
      passed,
      result: `measured ${k}`,
    })),
  });
}
