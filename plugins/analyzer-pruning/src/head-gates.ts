import type {
  EncodeOptions,
  NamedTensorMap,
  Scalar,
  SeededRandom,
  Tensor2D,
  TensorFlow,
  TrainingComponent,
  TrainingComponentBuildInput,
  TrainingStepContext,
  Variable,
} from '@stem/core';
import {
  HARD_CONCRETE,
  drawGateNoise,
  evaluationGateOf,
  evaluationGates,
  expectedOpenHeadsPerLayer,
  isKept,
  trainingGates,
  undecidedGateCount,
} from './hard-concrete.js';
import type { HeadGatesConfig } from './pruning-config.js';
import { penaltyWeight, type PenaltyWeight } from './penalty-weight.js';

/** What the gates report at every dev evaluation and at the end of a run. */
export interface HeadGatesReport extends Record<string, unknown> {
  lambda: number;
  lambdaSource: PenaltyWeight['source'];
  /** [layers][heads] evaluation gates. */
  gates: number[][];
  /** [layers][heads] log_a. */
  logAlpha: number[][];
  /** [layers][heads] 1 iff the evaluation gate > 1e-3. */
  kept: number[][];
  keptHeads: number;
  /** Evaluation gates strictly between 0 and 1: heads the gates have not decided on yet. */
  undecidedGates: number;
  totalHeads: number;
  keptFraction: number;
  /** Per layer, the fraction of its heads kept. */
  keptFractionPerLayer: number[];
}

/**
 * One hard-concrete gate per attention head (a training component): a log_a variable
 * [layers, heads] with its own Adam, noisy gates handed to the encoder as `headGates` at
 * every training step (one noise draw per forward pass from the step's stream), noiseless
 * gates at evaluation, and lambda times the expected L0 norm as the loss term. With several
 * tasks in the run, all share this one gate set (MTL-DP). Pruned layers stay in place.
 */
export class HardConcreteHeadGates implements TrainingComponent {
  readonly optimizer: TrainingComponent['optimizer'];
  readonly penalty: PenaltyWeight;
  private readonly logAlpha: Variable;
  private readonly layers: number;
  private readonly heads: number;

  constructor(
    private readonly tf: TensorFlow,
    config: HeadGatesConfig,
    input: Pick<TrainingComponentBuildInput, 'encoderShape' | 'tasks'>,
    random: SeededRandom,
  ) {
    this.layers = input.encoderShape.layers;
    this.heads = input.encoderShape.heads;
    this.optimizer = { learningRate: config.learningRate, weightDecay: 0, schedule: 'constant' };
    this.penalty = penaltyWeight(config.lambda, input.tasks);
    const range = HARD_CONCRETE.initRange;
    const initial = Array.from({ length: this.layers * this.heads }, () =>
      random.uniform(-range, range),
    );
    this.logAlpha = tf.variable(tf.tensor2d(initial, [this.layers, this.heads]), true);
  }

  trainableVariables(): Variable[] {
    return [this.logAlpha];
  }

  trainingEncodeOptions(step: TrainingStepContext): Partial<EncodeOptions> {
    const noise = this.tf.tensor2d(drawGateNoise(step.random, this.layers * this.heads), [
      this.layers,
      this.heads,
    ]);
    // Called inside the trainer's gradient tape, whose scope disposes the noise afterwards.
    return { headGates: trainingGates(this.tf, this.logAlpha as Tensor2D, noise) };
  }

  evaluationEncodeOptions(): Partial<EncodeOptions> {
    return { headGates: evaluationGates(this.tf, this.logAlpha as Tensor2D) };
  }

  lossTerm(): Scalar {
    return this.tf.tidy(() =>
      expectedOpenHeadsPerLayer(this.tf, this.logAlpha as Tensor2D).mul(this.penalty.lambda),
    );
  }

  /** Settled when every evaluation gate is exactly 0 or 1 (the trainer then stops). */
  settled(): boolean {
    return undecidedGateCount(this.evaluationGateValues()) === 0;
  }

  private evaluationGateValues(): number[][] {
    return (this.logAlpha.arraySync() as number[][]).map((row) => row.map(evaluationGateOf));
  }

  report(): HeadGatesReport {
    const logAlpha = this.logAlpha.arraySync() as number[][];
    const gates = logAlpha.map((row) => row.map(evaluationGateOf));
    const kept = gates.map((row) => row.map((g) => (isKept(g) ? 1 : 0)));
    const keptHeads = kept.flat().reduce<number>((n, k) => n + k, 0);
    const totalHeads = this.layers * this.heads;
    return {
      lambda: this.penalty.lambda,
      lambdaSource: this.penalty.source,
      gates,
      logAlpha,
      kept,
      keptHeads,
      undecidedGates: undecidedGateCount(gates),
      totalHeads,
      keptFraction: keptHeads / totalHeads,
      keptFractionPerLayer: kept.map((row) => row.reduce<number>((n, k) => n + k, 0) / this.heads),
    };
  }

  weights(): NamedTensorMap {
    return { log_alpha: this.logAlpha };
  }

  loadWeights(weights: NamedTensorMap): void {
    const saved = weights.log_alpha;
    if (!saved) throw new Error('head gates: the checkpoint has no "log_alpha"');
    if (saved.shape.join() !== this.logAlpha.shape.join())
      throw new Error(
        `head gates: saved log_alpha has shape [${saved.shape}], the encoder has [${this.logAlpha.shape}] (layers x heads)`,
      );
    this.logAlpha.assign(saved as Tensor2D);
  }

  dispose(): void {
    this.logAlpha.dispose();
  }
}
