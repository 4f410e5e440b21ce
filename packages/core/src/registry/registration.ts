import type { z } from 'zod';
import type { DependencyContainer } from 'tsyringe';
import type { Analyzer } from '../contracts/analyzer.js';
import type { DatasetReader } from '../contracts/dataset-reader.js';
import type { Encoder } from '../contracts/encoder.js';
import type { PredictionFormat } from '../contracts/prediction-format.js';
import type { TaskHead, TaskHeadBuildInput } from '../contracts/task-head.js';
import type { TensorFlow } from '../contracts/tensorflow.js';
import type {
  TrainingComponent,
  TrainingComponentBuildInput,
} from '../contracts/training-component.js';
import type { SeededRandom } from '../random/seeded-random.js';
import type { ComponentKind } from './component-kind.js';

/** The zod namespace core hands to plugins, so every schema comes from one zod copy. */
export type Zod = typeof z;
export type ComponentConfigSchema = z.ZodObject;

/** Everything a factory may use; plugins get tf and randomness here, never from imports. */
export interface FactoryContext {
  tf: TensorFlow;
  random: SeededRandom;
  /** The run's DI container, for components that need other services by token. */
  container: DependencyContainer;
}

interface RegistrationBase<TConfig> {
  /** Versioned id, e.g. `stem.task.pos.softmax.v1`. */
  id: string;
  description: string;
  /** Builds the component's config schema with core's zod (`type` is added by core). */
  configSchema: (zod: Zod) => z.ZodType<TConfig> & ComponentConfigSchema;
}

export interface EncoderRegistration<TConfig = unknown> extends RegistrationBase<TConfig> {
  create(config: TConfig, context: FactoryContext): Encoder | Promise<Encoder>;
}

export interface TaskRegistration<TConfig = unknown> extends RegistrationBase<TConfig> {
  /**
   * How `stem predict` can write this task's predictions, the default first. Optional: a
   * task without formats is written as JSON lines (`JSON_LINES_PREDICTION_FORMAT`).
   */
  predictionFormats?: readonly PredictionFormat<TConfig>[];
  create(
    config: TConfig,
    input: TaskHeadBuildInput,
    context: FactoryContext,
  ): TaskHead | Promise<TaskHead>;
}

export interface AnalyzerRegistration<TConfig = unknown> extends RegistrationBase<TConfig> {
  create(config: TConfig, context: FactoryContext): Analyzer | Promise<Analyzer>;
}

export interface DatasetRegistration<TConfig = unknown> extends RegistrationBase<TConfig> {
  create(config: TConfig, context: FactoryContext): DatasetReader | Promise<DatasetReader>;
}

/** A component trained beside encoder and heads (see `TrainingComponent`), e.g. head gates. */
export interface TrainingComponentRegistration<
  TConfig = unknown,
> extends RegistrationBase<TConfig> {
  /**
   * It only observes training (a meter): it changes neither the model nor how it trains, so
   * it is left out of the run's stream identity (`runStreamIdentity`). A run with it and the
   * same run without it then draw the same data order, dropout and initialisation, and end
   * with the same weights.
   */
  observesOnly?: boolean;
  create(
    config: TConfig,
    input: TrainingComponentBuildInput,
    context: FactoryContext,
  ): TrainingComponent | Promise<TrainingComponent>;
}

export interface RegistrationByKind {
  encoder: EncoderRegistration;
  task: TaskRegistration;
  analyzer: AnalyzerRegistration;
  dataset: DatasetRegistration;
  training: TrainingComponentRegistration;
}

export type AnyRegistration = RegistrationByKind[ComponentKind];

/** Who provided a registration, for `stem info` and error messages. */
export interface ProviderInfo {
  name: string;
  version: string;
}

export interface RegisteredComponent<K extends ComponentKind = ComponentKind> {
  kind: K;
  registration: RegistrationByKind[K];
  provider: ProviderInfo;
  /** The schema built with core's zod, extended with `type: z.literal(id)`. */
  schema: ComponentConfigSchema;
}
