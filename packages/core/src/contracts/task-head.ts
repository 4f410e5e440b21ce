import type { Sentence, AnnotationLayer } from './annotations.js';
import type { EncoderOutput } from './encoder.js';
import type { Metric } from './metric.js';
import type { Scalar, Variable, NamedTensorMap } from './tensorflow.js';
import type { SeededRandom } from '../random/seeded-random.js';

/** Label inventories collected from the training split, keyed by the head's own names. */
export type LabelVocabularies = Record<string, string[]>;

/** A decoder reading the shared word vectors for one task. */
export interface TaskHead<TPrediction = unknown> {
  /** Annotation layers this head trains on; sentences lacking them are skipped. */
  readonly requires: readonly AnnotationLayer[];
  trainableVariables(): Variable[];
  /** Mean loss of the batch; `context.random` seeds dropout so resumed runs repeat it. */
  loss(encoded: EncoderOutput, sentences: readonly Sentence[], context?: TrainingContext): Scalar;
  /** `options.purpose` says why the batch is decoded; a head may decode differently at test time. */
  decode(
    encoded: EncoderOutput,
    sentences: readonly Sentence[],
    options?: DecodeOptions,
  ): TPrediction[];
  createMetric(): Metric<Sentence, TPrediction>;
  /**
   * The sentence with its prediction written into the annotation layer(s) the head
   * predicts, so `stem predict` can write it in the layer's natural format.
   */
  annotate(sentence: Sentence, prediction: TPrediction): Sentence;
  /** Label vocabularies the head was built with (saved beside its weights). */
  labels(): LabelVocabularies;
  weights(): NamedTensorMap;
  loadWeights(weights: NamedTensorMap): void;
  dispose(): void;
}

/**
 * Why a batch is decoded: `dev` for model selection during training, `test` for the final
 * (or `stem evaluate`) scores, `predict` for new text. Absent means `dev`. A head may use it
 * to decode differently at test time (the paper's DEP head: argmax on dev, Eisner on test).
 */
export interface DecodeOptions {
  purpose?: 'dev' | 'test' | 'predict';
}

/** Per-step training inputs beyond the batch itself. */
export interface TrainingContext {
  random: SeededRandom;
}

/** What a task head factory receives besides its own config. */
export interface TaskHeadBuildInput {
  hiddenSize: number;
  /** Vocabularies from a saved head, or undefined to collect them from `trainingSentences`. */
  labels?: LabelVocabularies;
  trainingSentences: readonly Sentence[];
}
