import type { SafetensorsCodec } from '../contracts/safetensors.js';
import type { NeuralNetworkBlocks } from '../nn/index.js';
import type { TensorFlow } from '../contracts/tensorflow.js';
import type {
  AnalyzerRegistration,
  DatasetRegistration,
  EncoderRegistration,
  TaskRegistration,
  TrainingComponentRegistration,
  Zod,
} from '../registry/registration.js';

/** The name of the oclif hook event through which plugins register. */
export const REGISTER_HOOK_EVENT = 'stem:register';

/**
 * What core hands each plugin. Plugins register factories here; they get core's zod and
 * tfjs from it too, because a plugin installed with `stem plugins:add` has its own
 * node_modules and must not create a second tfjs engine.
 */
export interface RegistrationFacade {
  readonly coreVersion: string;
  readonly z: Zod;
  readonly tf: TensorFlow;
  /** Core's safetensors codec (F32/F16/BF16), for plugins that read or write model files. */
  readonly safetensors: SafetensorsCodec;
  /**
   * Core's shared building blocks of task heads (Glorot init, dense layers and MLPs,
   * biaffine scorers, shape-checked `loadWeights`), the same as `@stem/core`'s exports.
   */
  readonly nn: NeuralNetworkBlocks;
  registerEncoder<C>(registration: EncoderRegistration<C>): void;
  registerTask<C>(registration: TaskRegistration<C>): void;
  registerAnalyzer<C>(registration: AnalyzerRegistration<C>): void;
  registerDataset<C>(registration: DatasetRegistration<C>): void;
  /** A training component (`trainingComponents.<name>` in the experiment config). */
  registerTrainingComponent<C>(registration: TrainingComponentRegistration<C>): void;
}

/** What a plugin's `stem:register` hook returns. */
export interface StemPlugin {
  register(stem: RegistrationFacade): void | Promise<void>;
}

/** Options the CLI passes to the hook (besides oclif's own `config`). */
export interface RegisterHookOptions {
  coreVersion: string;
}

/**
 * Type of a plugin's hook module default export, e.g.
 * `const hook: StemRegisterHook = async () => ({ register(stem) { stem.registerTask(...) } })`.
 * Declared structurally so plugins need no runtime import of oclif or core.
 */
export type StemRegisterHook = (options: RegisterHookOptions) => StemPlugin | Promise<StemPlugin>;
