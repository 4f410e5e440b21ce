import { readFile } from 'node:fs/promises';
import { basename, join } from 'node:path';
import {
  BERT_ATTENTION_NAMES,
  DEFAULT_MEASURE_EVERY,
  DEFAULT_PROBE_SENTENCES,
  GRADIENT_CONFLICT_ID,
  measureLoadedRun,
  type ConflictMeasurement,
  type GradientConflictConfig,
} from '@stem/analyzer-conflict';
import {
  createRunContainer,
  disposeExperiment,
  loadRun,
  RunDirectory,
  SeededRandom,
  StemError,
  TOKENS,
  writeJsonAtomic,
  type ExperimentConfig,
  type RunEnvironment,
  type TensorFlow,
} from '@stem/core';

export type CheckpointName = 'best' | 'last';

/** `analyses/conflict/posthoc-<checkpoint>.json`: a measurement and where it came from. */
export interface PostHocMeasurement extends ConflictMeasurement {
  checkpoint: CheckpointName;
  runDirectory: string;
  /** The probe batches' stream: the run's meter stream (null) or `--seed`. */
  probeSeed: number | null;
}

export function postHocFile(checkpoint: CheckpointName): string {
  return `posthoc-${checkpoint}.json`;
}

/**
 * Fails before any data is read when the directory is not a run or has a single task
 * (agreement between tasks needs two).
 */
export async function requireMultiTaskRun(runDirectory: string): Promise<void> {
  const run = new RunDirectory(runDirectory);
  const manifest = await run.readManifest();
  const tasks = Object.keys((manifest.config as { tasks?: object } | undefined)?.tasks ?? {});
  if (tasks.length < 2)
    throw new StemError(
      `${run.root} is a single-task run (${tasks.join(', ') || 'no task'}): gradient conflict needs at least two tasks`,
      'pass a multi-task run directory (a config with two or more tasks)',
      'RUN_INVALID',
    );
}

/**
 * The meter's settings of the run (its `stem.training.gradient-conflict.v1` component, when it
 * had one) with `probeSentences` overridden; the component's defaults otherwise.
 */
export function meterOfRun(
  config: ExperimentConfig,
  probeSentences: number | undefined,
): { name: string; settings: GradientConflictConfig } {
  const entry = Object.entries(config.trainingComponents ?? {}).find(
    ([, component]) => component.type === GRADIENT_CONFLICT_ID,
  );
  const recorded = entry
    ? (() => {
        const { type: _type, ...fields } = entry[1] as { type: string } & GradientConflictConfig;
        return fields;
      })()
    : {
        every: DEFAULT_MEASURE_EVERY,
        probeSentences: DEFAULT_PROBE_SENTENCES,
        includeGates: true,
        weights: { ...BERT_ATTENTION_NAMES },
      };
  return {
    name: entry?.[0] ?? 'conflict',
    settings: { ...recorded, probeSentences: probeSentences ?? recorded.probeSentences },
  };
}

/** Update count and global step of a checkpoint, for labelling its measurement. */
async function checkpointPosition(
  run: RunDirectory,
  checkpoint: CheckpointName,
): Promise<{ update: number; step: number }> {
  const stateFile = join(run.checkpoint(checkpoint), 'state.json');
  const state = JSON.parse(await readFile(stateFile, 'utf8')) as {
    globalStep?: number;
    optimizerUpdates?: number;
    weightsFile?: string;
  };
  if (typeof state.globalStep === 'number' && typeof state.optimizerUpdates === 'number')
    return { update: state.optimizerUpdates, step: state.globalStep };
  // The best checkpoint records only its weights file (weights-<step>): the update is the
  // last one logged at or before that step in metrics.ndjson.
  const step = Number(/weights-(\d+)/.exec(basename(state.weightsFile ?? ''))?.[1] ?? NaN);
  let update = 0;
  const metrics = await readFile(run.metricsFile, 'utf8').catch(() => '');
  for (const line of metrics.split('\n')) {
    if (!line.includes('"update"')) continue;
    const event = JSON.parse(line) as { event?: string; step?: number; update?: number };
    if (event.event === 'update' && (event.step ?? Infinity) <= step)
      update = Math.max(update, event.update ?? 0);
  }
  return { update, step: Number.isNaN(step) ? 0 : step };
}

/**
 * Loads a finished run at one checkpoint (its training sentences, labels and weights),
 * measures per-head gradient agreement with the run's meter settings and writes
 * `posthoc-<checkpoint>.json` into `outputDirectory` atomically. Without `seed` the probe
 * batches come from the stream the run's meter had, so the numbers equal the run's own
 * measurement at the same update.
 */
export async function measureCheckpoint(
  environment: Pick<RunEnvironment, 'container'>,
  input: {
    runDirectory: string;
    checkpoint: CheckpointName;
    probeSentences?: number;
    seed?: number;
    outputDirectory: string;
  },
): Promise<{ file: string; measurement: PostHocMeasurement }> {
  const { config, built, run } = await loadRun(environment, input.runDirectory, {
    splits: ['train'],
    checkpoint: input.checkpoint,
  });
  try {
    const meter = meterOfRun(config, input.probeSentences);
    const random =
      input.seed === undefined
        ? createRunContainer(environment.container, { config })
            .resolve<SeededRandom>(TOKENS.random)
            .fork(`trainingComponents.${meter.name}`)
        : new SeededRandom(input.seed);
    const measured = await measureLoadedRun({
      tf: environment.container.resolve<TensorFlow>(TOKENS.tf),
      encoder: built.encoder,
      tasks: built.tasks,
      components: built.components,
      config: meter.settings,
      random,
      ...(await checkpointPosition(run, input.checkpoint)),
      name: meter.name,
    });
    const measurement: PostHocMeasurement = {
      checkpoint: input.checkpoint,
      runDirectory: run.root,
      probeSeed: input.seed ?? null,
      ...measured,
    };
    const file = join(input.outputDirectory, postHocFile(input.checkpoint));
    await writeJsonAtomic(file, measurement);
    return { file, measurement };
  } finally {
    disposeExperiment(built);
  }
}
