import type { Sentence } from './annotations.js';
import type { EncodeOptions, EncoderShape } from './encoder.js';
import type { NamedTensorMap, Scalar, Variable } from './tensorflow.js';
import type { SeededRandom } from '../random/seeded-random.js';

/** The optimiser group of a component's variables (its own Adam, beside encoder and heads). */
export interface TrainingComponentOptimizer {
  learningRate: number;
  /** Decoupled weight decay of this group only (default 0). */
  weightDecay?: number;
  /**
   * `constant`: the rate stays `learningRate` for the whole run; `trainer`: it follows the
   * trainer's warm-up and decay like encoder and heads. Default `constant`.
   */
  schedule?: 'constant' | 'trainer';
}

/** What the trainer hands a component at each training step. */
export interface TrainingStepContext {
  /** The step's own stream, `fork("step/<n>").fork("component/<name>")`: resume repeats it. */
  random: SeededRandom;
  /** Name of the task of this mini-batch. */
  task: string;
  /** Global step index (0-based). */
  step: number;
}

/** One task's loss on given sentences and its gradients, taken without updating anything. */
export interface TaskGradients {
  loss: number;
  /**
   * Gradients keyed like the checkpoint: `encoder/<weight>` (names of `Encoder.weights()`)
   * and `component/<name>/<weight>` for components that feed the encoder (e.g. head gates).
   * The caller owns and disposes them.
   */
  gradients: NamedTensorMap;
}

/**
 * What the trainer hands `afterUpdate`: the parameters as they stand after an optimiser
 * update, and a way to measure a task on sentences of the caller's choosing. Nothing here
 * changes weights, optimiser moments or the trainer's random streams, so a component that
 * only measures leaves training bit-identical.
 */
export interface TrainingUpdateContext {
  /** Optimiser updates applied so far (1 after the first update); resume continues the count. */
  update: number;
  /** Global step index of the next mini-batch. */
  step: number;
  /** The run's tasks in config order. */
  tasks: readonly string[];
  /** A task's training sentences (those its head can learn from), in dataset order. */
  trainingSentences(task: string): readonly Sentence[];
  /**
   * The task's loss on `sentences` (one batch, evaluation mode: no dropout) and its gradients
   * with respect to the encoder and the encoder-feeding components, with the components'
   * evaluation options (taken inside the tape, so e.g. gates get a gradient). `random`
   * drives the head's batch preparation (masking), so a fixed stream gives a fixed result.
   */
  gradientsOf(
    task: string,
    sentences: readonly Sentence[],
    random: SeededRandom,
  ): Promise<TaskGradients>;
}

/**
 * Something trained alongside encoder and heads that is neither (head gates for pruning,
 * a regulariser). The trainer builds one per `trainingComponents.<name>` config section
 * and, per mini-batch:
 *   1. merges `trainingEncodeOptions(step)` into the encoder call (inside the gradient tape,
 *      so tensors it returns are differentiable with respect to `trainableVariables()`);
 *   2. adds `lossTerm()` once per mini-batch (its gradient taken over the component's own
 *      variables, not scaled by the MTL loss balancer);
 *   3. updates `trainableVariables()` with its own optimiser group (`optimizer`).
 * Evaluation (dev, test, `stem evaluate`, `stem predict`) merges `evaluationEncodeOptions()`.
 * `weights()` go into every checkpoint under `component/<name>/` (moments under
 * `optimizer/component/<name>/`), so resume and best-checkpoint reload include them.
 */
export interface TrainingComponent {
  readonly optimizer: TrainingComponentOptimizer;
  trainableVariables(): Variable[];
  /** Per-step additions to the encoder's options; tensors are disposed by the trainer's tape. */
  trainingEncodeOptions?(step: TrainingStepContext): Partial<EncodeOptions>;
  /** Additions at evaluation; the caller disposes returned tensors after the call. */
  evaluationEncodeOptions?(): Partial<EncodeOptions>;
  /** Extra loss of this step, a function of the component's own variables. */
  lossTerm?(step: TrainingStepContext): Scalar;
  /**
   * Whether the component has settled (pruning: every evaluation gate is exactly 0 or 1).
   * When any component defines it, the trainer (a) prefers settled checkpoints when it picks
   * the best one, and (b) counts patience only at evaluations where every such component
   * has settled: a run trains at least until they settle (or `trainer.epochs` runs out),
   * then stops as usual once the dev score stops improving.
   */
  settled?(): boolean;
  /** Plain JSON written with every dev evaluation and at the end (NDJSON `components`). */
  report?(): Record<string, unknown>;
  /**
   * Called after every optimiser update, before the update is logged or checkpointed; a
   * measuring component (gradient conflict between tasks) does its work here. It must not
   * change the model: the context gives it gradients, never an update.
   */
  afterUpdate?(context: TrainingUpdateContext): Promise<void> | void;
  weights(): NamedTensorMap;
  loadWeights(weights: NamedTensorMap): void;
  dispose(): void;
}

/** What a training component factory receives besides its own config. */
export interface TrainingComponentBuildInput {
  /** Its config section name (`trainingComponents.<name>`). */
  name: string;
  encoderShape: EncoderShape;
  /** The run's tasks in config order, with their registered `type` ids. */
  tasks: ReadonlyArray<{ name: string; type: string }>;
}
