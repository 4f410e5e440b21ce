import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import type { DependencyContainer } from 'tsyringe';
import type { BackendInfo } from '../compute/backend-name.js';
import { buildExperimentSchema, type ExperimentConfig } from '../config/experiment-schema.js';
import type { LabelVocabularies } from '../contracts/task-head.js';
import type { MetricResult } from '../contracts/metric.js';
import type { Tensor, TensorFlow } from '../contracts/tensorflow.js';
import type { Sentence } from '../contracts/annotations.js';
import { createRunContainer, runStreamOptions } from '../di/run-container.js';
import { StemError } from '../errors.js';
import { readJsonFile } from '../io/json-file.js';
import type { SeededRandom } from '../random/seeded-random.js';
import { runStreamIdentity } from '../random/run-stream.js';
import type { ComponentRegistry } from '../registry/component-registry.js';
import { TOKENS } from '../tokens.js';
import { CheckpointStore, underPrefix } from '../training/checkpoint-store.js';
import { TokenizedCorpus } from '../training/tokenized-corpus.js';
import {
  Trainer,
  componentEvaluationOptions,
  evaluateTasks,
  loadComponentTensors,
  tensorsOf,
  type TrainingProgress,
  type TrainingResult,
} from '../training/trainer.js';
import { appendToFile, writeFailed, writeJsonAtomic } from './atomic-write.js';
import { buildExperiment, type BuiltExperiment } from './experiment.js';
import { runAnalyzers } from './run-analyzers.js';
import { createManifest, type PackageVersion, type RunManifest } from './manifest.js';
import { RunDirectory } from './run-directory.js';

/** What the CLI knows about the process that the run records in its manifest. */
export interface RunEnvironment {
  container: DependencyContainer;
  command: string[];
  packages: PackageVersion[];
  plugins: RunManifest['plugins'];
  backend: BackendInfo;
  progress?: (status: TrainingProgress) => void;
  log?: (message: string) => void;
  /** Something the user should know about the run's data (default: `log`). */
  warn?: (message: string) => void;
}

export interface TrainRunOptions {
  /** Runs on the trained model (best dev weights) before it is released, e.g. to export it. */
  afterTraining?: (built: BuiltExperiment, run: RunDirectory) => Promise<void>;
  /**
   * A new run goes into exactly this directory instead of `<output.directory>/<name>-<time>-s<seed>`
   * (a study names its runs so that a rerun finds them).
   */
  directory?: string;
}

export interface TrainingRun {
  directory: string;
  result: TrainingResult;
}

/**
 * A whole training run: run directory and manifest, components from the config, label
 * vocabularies saved beside them, the trainer with checkpoints in the run directory,
 * NDJSON metrics, and results.json at the end. `resumeFrom` continues an interrupted run
 * from its manifest and last checkpoint; a run killed before its first checkpoint restarts
 * from step 0 with its recorded config.
 */
export async function trainRun(
  environment: RunEnvironment,
  source: { config: ExperimentConfig } | { resumeFrom: string },
  options: TrainRunOptions = {},
): Promise<TrainingRun> {
  const resumeRequested = 'resumeFrom' in source;
  const directory = resumeRequested ? new RunDirectory(source.resumeFrom) : undefined;
  const config = resumeRequested
    ? await configOfRun(directory as RunDirectory, environment)
    : source.config;
  const run =
    directory ??
    (options.directory
      ? new RunDirectory(options.directory)
      : RunDirectory.forNewRun(config.output.directory, config.name, config.seed));
  const log = environment.log ?? (() => {});
  let resume = resumeRequested;
  if (resumeRequested) {
    if (await new CheckpointStore(run.checkpoint('last')).exists()) {
      log(`resuming ${run.root}`);
    } else {
      // Killed before its first checkpoint: the recorded config is all a fresh start needs.
      log(
        `${run.root} has no checkpoint yet (checkpoints/last/state.json is missing): restarting it from step 0 with its recorded config`,
      );
      resume = false;
      for (const leftover of [run.checkpointsDirectory, run.metricsFile])
        await rm(leftover, { recursive: true, force: true }).catch((error: unknown) => {
          throw writeFailed(leftover, error);
        });
    }
  }
  const container = createRunContainer(environment.container, { config, directory: run });
  const labels = resume ? await readLabels(run) : undefined;
  log('reading data and building the model');
  const built = await buildExperiment(container, config, labels ? { labels } : {});
  const skippedSentences = reportDataGaps(built, config, environment.warn ?? log);
  try {
    // The run directory is created only once the components are built, so a config whose
    // data or model cannot be loaded leaves nothing behind.
    await run.create();
    if (!resumeRequested) {
      await run.writeManifest(
        createManifest({
          name: config.name,
          seed: config.seed,
          randomStream: runStreamIdentity(config, runStreamOptions(environment.container)),
          config,
          command: environment.command,
          packages: environment.packages,
          plugins: environment.plugins,
          backend: environment.backend,
        }),
      );
      log(`run directory: ${run.root}`);
    }
    if (!resume) await writeJsonAtomic(labelsFile(run), built.labels);
  } catch (error) {
    disposeExperiment(built);
    throw error;
  }
  const tf = container.resolve<TensorFlow>(TOKENS.tf);
  const trainer = new Trainer({
    tf,
    encoder: built.encoder,
    tasks: built.tasks,
    components: built.components,
    settings: config.trainer,
    random: container.resolve<SeededRandom>(TOKENS.random).fork('trainer'),
    checkpoints: { last: run.checkpoint('last'), best: run.checkpoint('best') },
    observer: {
      event: (record) =>
        appendToFile(
          run.metricsFile,
          `${JSON.stringify({ time: new Date().toISOString(), ...record })}\n`,
        ),
      ...(environment.progress ? { progress: environment.progress } : {}),
    },
  });
  try {
    const trained = await trainer.train({ resume });
    const result: TrainingResult =
      Object.keys(skippedSentences).length > 0 ? { ...trained, skippedSentences } : trained;
    await writeJsonAtomic(join(run.root, 'results.json'), result);
    // The trainer leaves the best checkpoint loaded: the config's analyzers look at that model.
    await runAnalyzers(container, config, built, run, log);
    await options.afterTraining?.(built, run);
    return { directory: run.root, result };
  } finally {
    trainer.dispose();
    disposeExperiment(built);
  }
}

/**
 * Says what the data leaves out, which would otherwise pass silently: sentences a task
 * drops because they lack the layers its head needs (per split), and tasks without test
 * sentences (their results will have no test score). Returns the non-zero drop counts.
 */
function reportDataGaps(
  built: BuiltExperiment,
  config: ExperimentConfig,
  warn: (message: string) => void,
): Record<string, Record<string, number>> {
  const skipped: Record<string, Record<string, number>> = {};
  for (const task of built.tasks) {
    const counts = Object.entries(built.skipped[task.name] ?? {}).filter(([, n]) => n > 0);
    if (counts.length > 0) {
      skipped[task.name] = Object.fromEntries(counts);
      warn(
        `task "${task.name}" left out ${counts.map(([split, n]) => `${n} ${split}`).join(', ')} sentences that lack the layers its head needs (${task.head.requires.join(', ')}); results.json records them under skippedSentences`,
      );
    }
    if (config.trainer.evaluateTest && !(task.test && task.test.length > 0))
      warn(
        `task "${task.name}" has no test sentences: its results will have no test score (results.json lists it under testNotAvailable)`,
      );
  }
  return skipped;
}

/** Builds a finished run's model with its saved labels and its best (or last) weights. */
export async function loadRun(
  environment: Pick<RunEnvironment, 'container'>,
  runDirectory: string,
  options: { splits?: ReadonlyArray<'train' | 'dev' | 'test'>; checkpoint?: 'best' | 'last' } = {},
): Promise<{ config: ExperimentConfig; built: BuiltExperiment; run: RunDirectory }> {
  const run = new RunDirectory(runDirectory);
  const config = await configOfRun(run, environment);
  const container = createRunContainer(environment.container, { config, directory: run });
  const labels = await readLabels(run);
  const built = await buildExperiment(container, config, { labels, splits: options.splits ?? [] });
  const tf = container.resolve<TensorFlow>(TOKENS.tf);
  const store = new CheckpointStore(run.checkpoint(options.checkpoint ?? 'best'));
  if (!(await store.exists())) {
    disposeExperiment(built);
    throw new StemError(
      `${run.root} has no ${options.checkpoint ?? 'best'} checkpoint yet`,
      'train the run for at least one epoch (or resume it)',
      'RUN_INVALID',
    );
  }
  const { tensors } = await store.load(tf);
  try {
    built.encoder.loadWeights(underPrefix(tensors, 'encoder'));
    for (const task of built.tasks)
      task.head.loadWeights(underPrefix(tensors, `task/${task.name}`));
    loadComponentTensors(built.components, tensors);
  } finally {
    tf.dispose(Object.values(tensors));
  }
  return { config, built, run };
}

/** Scores a run's best model on a split; writes `evaluation-<split>.json` in the run. */
export async function evaluateRun(
  environment: Pick<RunEnvironment, 'container'>,
  runDirectory: string,
  split: 'dev' | 'test',
): Promise<Record<string, MetricResult>> {
  const { config, built, run } = await loadRun(environment, runDirectory, { splits: [split] });
  try {
    const tf = environment.container.resolve<TensorFlow>(TOKENS.tf);
    const scores = await evaluateTasks(
      tf,
      built.encoder,
      built.tasks,
      split,
      {
        maxSentences: config.trainer.maxSentencesPerBatch,
        maxSubwords: config.trainer.maxSubwordsPerBatch,
      },
      undefined,
      built.components,
    );
    await writeJsonAtomic(join(run.root, `evaluation-${split}.json`), scores);
    return scores;
  } finally {
    disposeExperiment(built);
  }
}

export function disposeExperiment(built: BuiltExperiment): void {
  built.encoder.dispose();
  for (const task of built.tasks) task.head.dispose();
  for (const { component } of built.components ?? []) component.dispose();
}

function labelsFile(run: RunDirectory): string {
  return join(run.root, 'labels.json');
}

async function readLabels(run: RunDirectory): Promise<Record<string, LabelVocabularies>> {
  return readJsonFile<Record<string, LabelVocabularies>>(
    labelsFile(run),
    'the run was interrupted before its model was built; start it again',
  );
}

/** The run's resolved config, validated again against what is installed now. */
async function configOfRun(
  run: RunDirectory,
  environment: Pick<RunEnvironment, 'container'>,
): Promise<ExperimentConfig> {
  const manifest = await run.readManifest();
  const registry = environment.container.resolve<ComponentRegistry>(TOKENS.registry);
  const parsed = buildExperimentSchema(registry).safeParse(manifest.config);
  if (!parsed.success) {
    const first = parsed.error.issues[0];
    throw new StemError(
      `${run.manifestFile}: the run's config no longer validates (${first?.path.join('.')}: ${first?.message})`,
      'install the plugins (and versions) the run was made with; the manifest lists them',
      'RUN_INVALID',
    );
  }
  return parsed.data;
}

/**
 * Runs every task of a trained run on new sentences and returns them with each head's
 * predictions written into its annotation layers (gold annotations of those layers are
 * replaced, others kept).
 */
export async function predictRun(
  environment: Pick<RunEnvironment, 'container'>,
  runDirectory: string,
  sentences: readonly Sentence[],
): Promise<Sentence[]> {
  const { config, built } = await loadRun(environment, runDirectory);
  try {
    const tf = environment.container.resolve<TensorFlow>(TOKENS.tf);
    const corpus = await TokenizedCorpus.create(built.encoder, sentences);
    const annotated = [...sentences];
    const limits = {
      maxSentences: config.trainer.maxSentencesPerBatch,
      maxSubwords: config.trainer.maxSubwordsPerBatch,
    };
    const extra = componentEvaluationOptions(built.components);
    for (const indices of corpus.batches(limits)) {
      const batch = corpus.batch(indices);
      // One encode serves every head: it carries every output any head asks for.
      const encoded = built.encoder.encode(batch.tokens, {
        ...Object.assign({}, ...built.tasks.map((task) => task.head.encodeOptions ?? {})),
        ...extra,
        training: false,
      });
      try {
        for (const task of built.tasks) {
          const predictions = task.head.decode(encoded, batch.sentences, { purpose: 'predict' });
          indices.forEach((sentenceIndex, b) => {
            annotated[sentenceIndex] = task.head.annotate(
              annotated[sentenceIndex] as Sentence,
              predictions[b],
            );
          });
        }
      } finally {
        tf.dispose(Object.values(encoded).flat() as Tensor[]);
      }
    }
    tf.dispose(tensorsOf(extra));
    return annotated;
  } finally {
    disposeExperiment(built);
  }
}
