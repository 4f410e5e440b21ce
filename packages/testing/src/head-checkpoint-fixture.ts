import { existsSync } from 'node:fs';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs';
import {
  SeededRandom,
  encodeOptionsFor,
  prepareBatch,
  readSafetensors,
  writeSafetensors,
  type LabelVocabularies,
  type NamedTensorMap,
  type PreparedBatch,
  type Sentence,
  type StemRegisterHook,
  type TaskHead,
} from '@stem/core';
import { ConformanceError } from './conformance-error.js';
import { openPluginUnderTest } from './plugin-under-test.js';
import { ToyEncoder } from './toy-encoder.js';

/** Seeds of the fixture: the toy encoder's, the head's first build, a reload's (another one). */
const ENCODER_SEED = 1;
const HEAD_SEED = 2;
const RELOAD_SEED = 99;

export interface HeadCheckpointFixtureInput {
  hook: StemRegisterHook;
  /** The registered id of the task. */
  taskId: string;
  /** The task's config section without `type`. */
  config?: Record<string, unknown>;
  /** A few annotated sentences (recorded in the fixture; used only when writing it). */
  sentences: readonly Sentence[];
  /** Training steps of the head alone before its weights are saved (default 5). */
  steps?: number;
}

/** What `fixture.json` records beside `init.safetensors` and `head.safetensors`. */
interface FixtureRecord {
  taskId: string;
  config: Record<string, unknown>;
  sentences: Sentence[];
  labels: LabelVocabularies;
  /** Loss of the saved head on the sentences (no dropout unless the head needs targets). */
  loss: number;
  predictions: unknown[];
}

/** The fixture's outcome: what a reload reproduced, for a test to assert on. */
export interface HeadCheckpointFixtureReport {
  written: boolean;
  loss: number;
  recordedLoss: number;
  predictions: unknown[];
}

/**
 * A saved checkpoint of a head as a test fixture, to prove a refactor moves no number.
 *
 * Writing (`STEM_WRITE_FIXTURES=1`, with the code whose numbers it pins): builds the head from
 * seed 2 on a toy encoder (seed 1, hidden 16) and saves its initial weights
 * (`init.safetensors`), trains the head alone a few steps, and saves its weights
 * (`head.safetensors`, the checkpoint path of the conformance kit), labels, sentences,
 * loss and predictions (`fixture.json`).
 * Checking: a head built again from seed 2 has exactly the initial weights (same random
 * draws, in the same order and shapes); a head built from another seed with the recorded
 * labels loads `head.safetensors` and gives the recorded loss (to 1e-5) and predictions.
 */
export async function headCheckpointFixture(
  directory: string,
  input: HeadCheckpointFixtureInput,
): Promise<HeadCheckpointFixtureReport> {
  await tf.setBackend('cpu');
  const write = process.env.STEM_WRITE_FIXTURES === '1';
  if (!write && !existsSync(join(directory, 'fixture.json')))
    throw new Error(
      `no checkpoint fixture at ${directory}: write it with STEM_WRITE_FIXTURES=1 (with the code whose numbers it pins)`,
    );
  const record: FixtureRecord | undefined = write
    ? undefined
    : (JSON.parse(await readFile(join(directory, 'fixture.json'), 'utf8')) as FixtureRecord);
  const taskId = record?.taskId ?? input.taskId;
  const { registry, container } = await openPluginUnderTest(input.hook, taskId, tf);
  const registration = registry.require('task', taskId);
  const config = record?.config ?? input.config ?? {};
  const parsed = registration.schema.parse({ ...config, type: taskId }) as Record<string, unknown>;
  const { type: _type, ...fields } = parsed;
  const sentences = record?.sentences ?? [...input.sentences];
  const encoder = new ToyEncoder(tf, new SeededRandom(ENCODER_SEED), { hiddenSize: 16 });
  const build = async (seed: number, labels?: LabelVocabularies): Promise<TaskHead> =>
    registration.registration.create(
      fields,
      {
        hiddenSize: encoder.shape.hiddenSize,
        trainingSentences: sentences,
        encoder,
        ...(labels ? { labels } : {}),
      },
      { tf, random: new SeededRandom(seed), container },
    );
  const tokens = await encoder.tokenize(sentences.map((s) => s.words));
  const problems: string[] = [];
  const head = await build(HEAD_SEED);
  const evaluation = prepareBatch(head, { tokens, sentences }, new SeededRandom(4), false);
  try {
    if (write) {
      await mkdir(directory, { recursive: true });
      await writeSafetensors(join(directory, 'init.safetensors'), head.weights());
      train(head, encoder, tokens, sentences, input.steps ?? 5);
      await writeSafetensors(join(directory, 'head.safetensors'), head.weights());
      const outputs = evaluate(head, encoder, evaluation, sentences);
      const written: FixtureRecord = {
        taskId,
        config,
        sentences,
        labels: head.labels(),
        ...outputs,
      };
      await writeFile(join(directory, 'fixture.json'), `${JSON.stringify(written)}\n`);
      return { written: true, recordedLoss: outputs.loss, ...outputs };
    }
    const saved = record as FixtureRecord;
    const init = await readSafetensors(tf, join(directory, 'init.safetensors'));
    problems.push(...weightDifferences(head.weights(), init.tensors));
    tf.dispose(Object.values(init.tensors));
    const reloaded = await build(RELOAD_SEED, saved.labels);
    try {
      const checkpoint = await readSafetensors(tf, join(directory, 'head.safetensors'));
      reloaded.loadWeights(checkpoint.tensors);
      tf.dispose(Object.values(checkpoint.tensors));
      const outputs = evaluate(reloaded, encoder, evaluation, sentences);
      if (!(Math.abs(outputs.loss - saved.loss) <= 1e-5 * Math.max(1, Math.abs(saved.loss))))
        problems.push(`the reloaded head's loss is ${outputs.loss}, recorded ${saved.loss}`);
      if (JSON.stringify(outputs.predictions) !== JSON.stringify(saved.predictions))
        problems.push(
          `the reloaded head predicts ${JSON.stringify(outputs.predictions)}, recorded ${JSON.stringify(saved.predictions)}`,
        );
      if (problems.length > 0) throw new ConformanceError(`${taskId} (${directory})`, problems);
      return { written: false, recordedLoss: saved.loss, ...outputs };
    } finally {
      reloaded.dispose();
    }
  } finally {
    head.dispose();
    encoder.dispose();
  }
}

/** The loss/decode context entry carrying prepared targets, when there are any. */
function targetsOf(prepared: PreparedBatch): { targets?: unknown } {
  return prepared.targets === undefined ? {} : { targets: prepared.targets };
}

/** Adam on the head's own variables (the encoder stays as built, so a reload sees it too). */
function train(
  head: TaskHead,
  encoder: ToyEncoder,
  tokens: Awaited<ReturnType<ToyEncoder['tokenize']>>,
  sentences: readonly Sentence[],
  steps: number,
): void {
  const optimizer = tf.train.adam(0.01);
  const random = new SeededRandom(3);
  for (let step = 0; step < steps; step++) {
    const stepRandom = random.fork(`step/${step}`);
    const prepared = prepareBatch(head, { tokens, sentences }, stepRandom.fork('batch'), true);
    const cost = optimizer.minimize(
      () =>
        head.loss(
          encoder.encode(
            prepared.tokens,
            encodeOptionsFor(head, { training: true, random: stepRandom }),
          ),
          sentences,
          { random: stepRandom.fork('head'), ...targetsOf(prepared) },
        ),
      true,
      head.trainableVariables(),
    );
    cost?.dispose();
  }
  optimizer.dispose();
}

/** Loss and predictions on one fixed preparation, as the conformance check measures them. */
function evaluate(
  head: TaskHead,
  encoder: ToyEncoder,
  evaluation: PreparedBatch,
  sentences: readonly Sentence[],
): { loss: number; predictions: unknown[] } {
  const options = encodeOptionsFor(head, { training: false });
  const value = tf.tidy(() =>
    head.loss(
      encoder.encode(evaluation.tokens, options),
      sentences,
      evaluation.targets === undefined
        ? undefined
        : { random: new SeededRandom(5), targets: evaluation.targets },
    ),
  );
  const loss = value.dataSync()[0] as number;
  value.dispose();
  const encoded = encoder.encode(evaluation.tokens, options);
  try {
    const predictions = head.decode(encoded, sentences, targetsOf(evaluation));
    return { loss, predictions: JSON.parse(JSON.stringify(predictions)) as unknown[] };
  } finally {
    tf.dispose(Object.values(encoded).flat() as tf.Tensor[]);
  }
}

/** Names, shapes and values that differ between a head's weights and saved ones. */
function weightDifferences(actual: NamedTensorMap, saved: NamedTensorMap): string[] {
  const problems: string[] = [];
  const names = new Set([...Object.keys(actual), ...Object.keys(saved)]);
  for (const name of names) {
    const a = actual[name];
    const s = saved[name];
    if (!a || !s) {
      problems.push(`weight "${name}" is ${a ? 'not in the saved initial weights' : 'gone'}`);
      continue;
    }
    if (a.shape.join('x') !== s.shape.join('x')) {
      problems.push(`weight "${name}" is [${a.shape}] at initialisation, saved [${s.shape}]`);
      continue;
    }
    const x = a.dataSync();
    const y = s.dataSync();
    const first = x.findIndex((v, i) => v !== y[i]);
    if (first >= 0)
      problems.push(
        `weight "${name}" starts at ${x[first]} at entry ${first}, saved ${y[first]}: the seeded draws moved`,
      );
  }
  return problems;
}
