import 'reflect-metadata';

export * from './contracts/index.js';
export { TOKENS } from './tokens.js';
export { StemError } from './errors.js';
export { SeededRandom, type RandomState } from './random/seeded-random.js';
export { runRandom, runStreamIdentity, type RunStreamInput } from './random/run-stream.js';
export { DEVICE_CHOICES, type DeviceChoice, type BackendInfo } from './compute/backend-name.js';
export { selectBackend } from './compute/select-backend.js';
export { COMPONENT_KINDS, type ComponentKind } from './registry/component-kind.js';
export {
  parseComponentId,
  checkComponentId,
  type ParsedComponentId,
} from './registry/component-id.js';
export type * from './registry/registration.js';
export * from './plugin/stem-plugin.js';
export { CORE_VERSION } from './version.js';
export { ComponentRegistry } from './registry/component-registry.js';
export { createRegistrationFacade } from './registry/registration-facade.js';
export {
  registerPlugins,
  checkCoreRange,
  type PluginHookOutcome,
  type PluginWarning,
  type LoadedPlugin,
} from './plugin/load-plugins.js';
export { installHint, packageProviding } from './plugin/plugin-packages.js';
export {
  buildExperimentSchema,
  type ExperimentConfig,
  type ExperimentSchema,
  type SchemaPurpose,
  type ComponentConfig,
  type TaskConfig,
} from './config/experiment-schema.js';
export { ConfigError, type ConfigProblem } from './config/config-error.js';
export {
  loadExperimentConfig,
  parseExperimentConfig,
  type LoadConfigOptions,
} from './config/load-config.js';
export {
  describeIssues,
  loadConfigFile,
  parseConfigText,
  readConfigFile,
  validateConfig,
  type ConfigDocument,
  type LineOf,
  type LoadConfigFileOptions,
  type ReadConfigOptions,
} from './config/config-file.js';
export { strictSchema, unknownKeysMessage } from './config/strict-schema.js';
export { closestKey } from './config/closest-key.js';
export { applyOverrides } from './config/overrides.js';
export { interpolate } from './config/interpolate.js';
export { experimentJsonSchema } from './config/json-schema.js';
export { writeFileAtomic, writeJsonAtomic } from './run/atomic-write.js';
export { RunDirectory } from './run/run-directory.js';
export {
  createManifest,
  gitRevision,
  MANIFEST_FORMAT,
  type RunManifest,
  type ManifestInput,
  type PackageVersion,
} from './run/manifest.js';
export { createProcessContainer, createRunContainer } from './di/run-container.js';
export { ComponentFactory } from './di/component-factory.js';
export { missingInjectionTokens } from './di/injection-coverage.js';
export type { DependencyContainer } from 'tsyringe';
export { planBatches, type BatchLimits } from './training/batch-plan.js';
export { taskProbabilities, planEpoch, type EpochStep } from './training/task-sampling.js';
export { MovingAverageLossBalancer, type LossBalancerState } from './training/loss-balancer.js';
export { linearWarmupDecay } from './training/learning-rate-schedule.js';
export { AdamW, ADAMW_DEFAULTS, type AdamWOptions, type ParameterGroup } from './training/adamw.js';
export { clipByGlobalNorm } from './training/gradient-clipping.js';
export { CheckpointStore } from './training/checkpoint-store.js';
export { TokenizedCorpus } from './training/tokenized-corpus.js';
export { trainerSettingsSchema, type TrainerSettings } from './training/trainer-settings.js';
export { initialTrainingState, type TrainingState } from './training/training-state.js';
export {
  Trainer,
  evaluateTasks,
  componentEvaluationOptions,
  componentTensors,
  loadComponentTensors,
  tensorsOf,
  type NamedTrainingComponent,
  type TrainerInput,
  type TrainingTask,
  type TrainingObserver,
  type TrainingProgress,
  type TrainingResult,
} from './training/trainer.js';
export { taskGradients, type TaskGradientModel } from './training/task-gradients.js';
export {
  prepareBatch,
  evaluationRandom,
  encodeOptionsFor,
  EVALUATION_SEED,
} from './training/batch-preparation.js';
export { exportModelDirectory, type ModelDirectoryExport } from './run/export-model-directory.js';
export { buildExperiment, type BuiltExperiment, type BuildOptions } from './run/experiment.js';
export { readSafetensors, writeSafetensors } from './io/safetensors.js';
export { safetensors, parseSafetensors, serializeSafetensors } from './io/safetensors-codec.js';
export { floatToHalf, halfToFloat, floatToBfloat16, bfloat16ToFloat } from './io/float16.js';
export {
  trainRun,
  loadRun,
  evaluateRun,
  predictRun,
  disposeExperiment,
  type RunEnvironment,
  type TrainingRun,
  type TrainRunOptions,
} from './run/run-lifecycle.js';
export { readJsonFile, parseJsonText, JSON_INVALID } from './io/json-file.js';
export { readTextInput, decodeTextInput, TEXT_INPUT_INVALID } from './io/text-input.js';
export {
  nn,
  applyDense,
  biaffineScores,
  denseLayer,
  FeedForward,
  FUSED_GELU_GRADIENT_KERNEL,
  FUSED_GELU_KERNEL,
  gelu,
  glorotUniform,
  labelledBiaffineScores,
  linear,
  loadWeights,
  pairedBiaffineScores,
  uniformVariable,
  withOnes,
  type Activation,
  type DenseLayer,
  type FeedForwardOptions,
  type HiddenDropout,
  type NeuralNetworkBlocks,
} from './nn/index.js';
