import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs';
import {
  SeededRandom,
  encodeOptionsFor,
  prepareBatch,
  readSafetensors,
  selectBackend,
  writeSafetensors,
  type FactoryContext,
  type LabelVocabularies,
  type PreparedBatch,
  type Sentence,
  type StemRegisterHook,
  type TaskHead,
} from '@stem/core';
import { ConformanceError } from './conformance-error.js';

function targetsOf(prepared: PreparedBatch): { targets?: unknown } {
  return prepared.targets === undefined ? {} : { targets: prepared.targets };
}
import { openPluginUnderTest } from './plugin-under-test.js';
import { ToyEncoder } from './toy-encoder.js';

export interface TaskHeadCheckInput {
  hook: StemRegisterHook;
  /** The registered id of the task to check. */
  taskId: string;
  /** The task's config section without `type` (defaults are applied by its schema). */
  config?: Record<string, unknown>;
  /** A few annotated sentences carrying the layers the head requires. */
  sentences: readonly Sentence[];
  /** Training steps on the sentences (default 30). */
  steps?: number;
  /**
   * The backend to check on (default `cpu`, tfjs's reference kernels). `wasm` is what users
   * train on: core's backend selection, with the native kernels where the addon is built and
   * `STEM_NATIVE` allows them. One backend per test file: core picks it once per process.
   */
  backend?: 'cpu' | 'wasm';
}

export interface TaskHeadReport {
  initialLoss: number;
  finalLoss: number;
  predictions: unknown[];
  /** The tfjs backend the check ran on (`cpu` or `wasm`). */
  backend: string;
  /** Whether the native kernels served it (wasm only). */
  nativeKernels: boolean;
}

/**
 * The train / save / load / predict conformance check every task head passes (after
 * AllenNLP's `ensure_model_can_train_save_and_load`): built through its registration on a
 * small real encoder, it trains a few steps with a finite, falling loss and a flat tensor
 * count; its weights and labels saved to disk load into a freshly built head (another
 * seed) that predicts exactly the same; `annotate` writes predictions into the layers the
 * head requires, so scoring predictions against their own annotation gives a perfect score.
 */
export async function checkTaskHead(input: TaskHeadCheckInput): Promise<TaskHeadReport> {
  let nativeKernels = false;
  if (input.backend === 'wasm') {
    const { info } = await selectBackend('wasm');
    nativeKernels = info.nativeKernels?.active === true;
  } else await tf.setBackend('cpu');
  const problems: string[] = [];
  const { registry, container } = await openPluginUnderTest(input.hook, input.taskId, tf);
  const registration = registry.require('task', input.taskId);
  const config = registration.schema.parse({ ...input.config, type: input.taskId }) as Record<
    string,
    unknown
  >;
  const { type: _type, ...fields } = config;
  const context = (seed: number): FactoryContext => ({
    tf,
    random: new SeededRandom(seed),
    container,
  });
  const encoder = new ToyEncoder(tf, new SeededRandom(1), { hiddenSize: 16 });
  const sentences = [...input.sentences];
  const build = async (seed: number, labels?: LabelVocabularies): Promise<TaskHead> =>
    registration.registration.create(
      fields,
      {
        hiddenSize: encoder.shape.hiddenSize,
        trainingSentences: sentences,
        encoder,
        ...(labels ? { labels } : {}),
      },
      context(seed),
    );

  const head = await build(2);
  for (const layer of head.requires) {
    if (!sentences.every((s) => s.annotations[layer] !== undefined))
      problems.push(`the check's sentences must carry the "${layer}" layer the head requires`);
  }
  const tokens = await encoder.tokenize(sentences.map((s) => s.words));
  const optimizer = tf.train.adam(0.01);
  const variables = [...encoder.trainableVariables(), ...head.trainableVariables()];
  const random = new SeededRandom(3);
  // Heads that transform their input (masked-LM) are scored on one fixed preparation.
  const evaluation = prepareBatch(head, { tokens, sentences }, new SeededRandom(4), false);
  const encodeOptions = (taskHead: TaskHead, training: boolean, stepRandom?: SeededRandom) =>
    encodeOptionsFor(taskHead, { training, ...(stepRandom ? { random: stepRandom } : {}) });
  const lossAt = (): number => {
    const value = tf.tidy(() =>
      head.loss(
        encoder.encode(evaluation.tokens, encodeOptions(head, false)),
        sentences,
        // A context only when there are targets: with one, heads turn their dropout on.
        evaluation.targets === undefined
          ? undefined
          : { random: new SeededRandom(5), targets: evaluation.targets },
      ),
    );
    const loss = value.dataSync()[0] as number;
    value.dispose();
    return loss;
  };
  const initialLoss = lossAt();
  const steps = input.steps ?? 30;
  let tensorsMidway = 0;
  for (let step = 0; step < steps; step++) {
    if (step === Math.floor(steps / 2)) tensorsMidway = tf.memory().numTensors;
    const stepRandom = random.fork(`step/${step}`);
    const prepared = prepareBatch(head, { tokens, sentences }, stepRandom.fork('batch'), true);
    const cost = optimizer.minimize(
      () =>
        head.loss(
          encoder.encode(prepared.tokens, encodeOptions(head, true, stepRandom)),
          sentences,
          { random: stepRandom.fork('head'), ...targetsOf(prepared) },
        ),
      true,
      variables,
    );
    cost?.dispose();
  }
  if (tf.memory().numTensors !== tensorsMidway)
    problems.push(
      `tensor count grew from ${tensorsMidway} to ${tf.memory().numTensors} over ${steps - Math.floor(steps / 2)} training steps: something in loss() escapes tf.tidy`,
    );
  const finalLoss = lossAt();
  if (!Number.isFinite(initialLoss) || !Number.isFinite(finalLoss))
    problems.push(`loss is not finite (${initialLoss} -> ${finalLoss})`);
  else if (!(finalLoss < initialLoss))
    problems.push(`loss did not fall in ${steps} steps (${initialLoss} -> ${finalLoss})`);

  const predict = (taskHead: TaskHead): unknown[] => {
    const encoded = encoder.encode(evaluation.tokens, encodeOptions(taskHead, false));
    try {
      return taskHead.decode(encoded, sentences, targetsOf(evaluation));
    } finally {
      tf.dispose(Object.values(encoded).flat() as tf.Tensor[]);
    }
  };
  const before = tf.memory().numTensors;
  const predictions = predict(head);
  if (tf.memory().numTensors !== before)
    problems.push(`decode() leaks ${tf.memory().numTensors - before} tensors`);
  if (predictions.length !== sentences.length)
    problems.push(
      `decode() returned ${predictions.length} predictions for ${sentences.length} sentences`,
    );

  const directory = await mkdtemp(join(tmpdir(), 'stem-head-check-'));
  try {
    await writeSafetensors(join(directory, 'head.safetensors'), head.weights());
    await writeFile(join(directory, 'labels.json'), JSON.stringify(head.labels()));
    const labels = JSON.parse(
      await readFile(join(directory, 'labels.json'), 'utf8'),
    ) as LabelVocabularies;
    const reloaded = await build(99, labels);
    const { tensors } = await readSafetensors(tf, join(directory, 'head.safetensors'));
    reloaded.loadWeights(tensors);
    tf.dispose(Object.values(tensors));
    if (JSON.stringify(predict(reloaded)) !== JSON.stringify(predictions))
      problems.push('a head reloaded from saved weights and labels predicts differently');
    reloaded.dispose();
  } finally {
    await rm(directory, { recursive: true, force: true });
  }

  const metric = head.createMetric();
  metric.update(sentences, predictions);
  const result = metric.result();
  if (!(result.primary in result.scores))
    problems.push(`metric result lacks its primary score "${result.primary}"`);
  const annotated = sentences.map((s, i) => head.annotate(s, predictions[i]));
  metric.reset();
  metric.update(annotated, predictions);
  const self = metric.result().scores[result.primary];
  if (head.requires.length > 0 && self !== 1)
    problems.push(
      `annotate() does not write predictions into the scored layer: scoring predictions against their own annotation gives ${self}, not 1`,
    );

  head.dispose();
  encoder.dispose();
  if (problems.length > 0) throw new ConformanceError(input.taskId, problems);
  return { initialLoss, finalLoss, predictions, backend: tf.getBackend(), nativeKernels };
}
