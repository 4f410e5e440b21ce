import type { DependencyContainer } from 'tsyringe';
import type { Sentence } from '../contracts/annotations.js';
import type { Encoder } from '../contracts/encoder.js';
import type { LabelVocabularies, TaskHead } from '../contracts/task-head.js';
import type { ExperimentConfig, TaskConfig } from '../config/experiment-schema.js';
import { ComponentFactory } from '../di/component-factory.js';
import { StemError } from '../errors.js';
import { missingLayersError } from './missing-layers.js';
import type { NamedTrainingComponent, TrainingTask } from '../training/trainer.js';

/** An experiment's components, built from its config through the registry. */
export interface BuiltExperiment {
  encoder: Encoder;
  tasks: TrainingTask[];
  /** Components of `trainingComponents`, in config order (empty when there are none). */
  components: NamedTrainingComponent[];
  /** Each head's label vocabularies, saved with the run so it can be rebuilt. */
  labels: Record<string, LabelVocabularies>;
  /** Sentences each task dropped per split because they lack the layers its head requires. */
  skipped: Record<string, Record<string, number>>;
}

export interface BuildOptions {
  /** Vocabularies of a saved run (evaluate, predict, resume): heads are rebuilt with them. */
  labels?: Record<string, LabelVocabularies>;
  /** Splits to read; `train` is always read when labels are not given. */
  splits?: ReadonlyArray<'train' | 'dev' | 'test'>;
}

/**
 * Builds the encoder, then for each task its dataset and head, in config order. A head's
 * label vocabularies come from its training split unless saved ones are given. Sentences
 * without the annotation layers a head requires are left out of that task (and counted).
 */
export async function buildExperiment(
  container: DependencyContainer,
  config: ExperimentConfig,
  options: BuildOptions = {},
): Promise<BuiltExperiment> {
  const factory = container.resolve(ComponentFactory);
  const encoder = await factory.encoder(config.encoder);
  const splits = new Set(options.splits ?? ['train', 'dev', 'test']);
  const tasks: TrainingTask[] = [];
  const labels: Record<string, LabelVocabularies> = {};
  const skipped: Record<string, Record<string, number>> = {};
  for (const [name, taskConfig] of Object.entries(config.tasks) as Array<[string, TaskConfig]>) {
    const dataset = await factory.dataset(taskConfig.dataset, `tasks.${name}.dataset`);
    const read = async (split: 'train' | 'dev' | 'test'): Promise<Sentence[]> => {
      if (!splits.has(split) && !(split === 'train' && !options.labels)) return [];
      let sentences: Sentence[];
      try {
        sentences = await dataset.read(split);
      } catch (error) {
        // Name the config field as well as the file the reader names.
        const hint = (error as { hint?: unknown }).hint;
        throw new StemError(
          `tasks.${name}.dataset (${taskConfig.dataset.type}), ${split} split: ${(error as Error).message}`,
          typeof hint === 'string' ? hint : undefined,
          datasetErrorCode(error),
        );
      }
      const limit = taskConfig.limit?.[split];
      return limit === undefined ? sentences : sentences.slice(0, limit);
    };
    const train = await read('train');
    let head: TaskHead;
    try {
      head = await factory.task(
        taskConfig,
        {
          hiddenSize: encoder.shape.hiddenSize,
          trainingSentences: train,
          encoder,
          ...(options.labels?.[name] ? { labels: options.labels[name] } : {}),
        },
        `tasks.${name}`,
      );
    } catch (error) {
      throw headBuildError(error, name, taskConfig.type);
    }
    const usable = (sentences: Sentence[], split: string): Sentence[] => {
      const kept = sentences.filter((s) =>
        head.requires.every((layer) => s.annotations[layer] !== undefined),
      );
      (skipped[name] ??= {})[split] = sentences.length - kept.length;
      return kept;
    };
    const task: TrainingTask = {
      name,
      head,
      train: usable(train, 'train'),
      dev: usable(await read('dev'), 'dev'),
      test: usable(await read('test'), 'test'),
    };
    if (splits.has('train') && task.train.length === 0) {
      throw missingLayersError({
        task: name,
        datasetType: taskConfig.dataset.type,
        requires: head.requires,
        declared: dataset.layers,
        train,
      });
    }
    tasks.push(task);
    labels[name] = head.labels();
  }
  const components: NamedTrainingComponent[] = [];
  for (const [name, componentConfig] of Object.entries(config.trainingComponents ?? {})) {
    const component = await factory.trainingComponent(
      componentConfig,
      {
        name,
        encoderShape: encoder.shape,
        tasks: Object.entries(config.tasks).map(([taskName, t]) => ({
          name: taskName,
          type: t.type,
        })),
      },
      `trainingComponents.${name}`,
    );
    components.push({ name, component });
  }
  return { encoder, tasks, components, labels, skipped };
}

/**
 * A head that cannot be built from its training sentences (no labels of its layer, a bad
 * field) says so in its own words; the config field is added, its hint and code are kept.
 */
function headBuildError(error: unknown, task: string, type: string): unknown {
  if (!(error instanceof Error)) return error;
  const { hint, code } = error as { hint?: unknown; code?: unknown };
  return new StemError(
    `tasks.${task} (${type}): ${error.message}`,
    typeof hint === 'string' ? hint : `check tasks.${task} and the layers its dataset carries`,
    typeof code === 'string' ? code : undefined,
  );
}

/** The reader's own kind of failure survives the wrapping (a bad line vs a missing corpus). */
function datasetErrorCode(error: unknown): string {
  const name = (error as { name?: unknown }).name;
  if (name === 'DataFormatError') return 'DATA_FORMAT';
  if (name === 'CorpusNotFoundError') return 'DATA_NOT_FOUND';
  return 'DATASET_UNREADABLE';
}
