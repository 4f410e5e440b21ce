import type { Sentence, AnnotationLayer } from './annotations.js';
import type { EncodeOptions, Encoder, EncoderOutput, TokenizedBatch } from './encoder.js';
import type { Metric } from './metric.js';
import type { Scalar, Variable, NamedTensorMap } from './tensorflow.js';
import type { SeededRandom } from '../random/seeded-random.js';

/** Label inventories collected from the training split, keyed by the head's own names. */
export type LabelVocabularies = Record<string, string[]>;

/** A decoder reading the shared word vectors for one task. */
export interface TaskHead<TPrediction = unknown> {
  /**
   * Annotation layers this head trains on (core's or a plugin's own, see `Annotations`);
   * sentences lacking them are skipped.
   */
  readonly requires: readonly AnnotationLayer[];
  /** Extra encoder outputs the head reads; merged into every `encode` call made for it. */
  readonly encodeOptions?: HeadEncodeOptions;
  trainableVariables(): Variable[];
  /**
   * Transforms the tokenised batch before it is encoded (masked-LM masks its input here).
   * Its `targets` reach `loss` (`TrainingContext.targets`) and `decode`
   * (`DecodeOptions.targets`). Training passes the step's seeded stream (resume stays
   * exact); evaluation passes a stream fixed per split, independent of the run seed, so dev
   * scores of different runs are comparable.
   */
  prepareBatch?(
    tokens: TokenizedBatch,
    sentences: readonly Sentence[],
    context: BatchPreparationContext,
  ): PreparedBatch;
  /** Mean loss of the batch; `context.random` seeds dropout so resumed runs repeat it. */
  loss(encoded: EncoderOutput, sentences: readonly Sentence[], context?: TrainingContext): Scalar;
  /**
   * `options.purpose` says why the batch is decoded (a head may decode differently at test
   * time); `options.targets` carries `prepareBatch`'s targets.
   */
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
  /**
   * The head's weights in Hugging Face names and PyTorch layout (e.g. `cls.predictions.*`),
   * saved beside the encoder in a model directory; new tensors the caller disposes.
   */
  exportWeights?(): NamedTensorMap;
  dispose(): void;
}

/** The encoder outputs a head may ask for besides the word vectors. */
export type HeadEncodeOptions = Pick<
  EncodeOptions,
  'returnSubwordStates' | 'returnAttention' | 'returnHeadContexts'
>;

/** What `prepareBatch` receives besides the batch. */
export interface BatchPreparationContext {
  /** Training: the step's stream. Evaluation: a fixed stream of the split (fork it per sentence). */
  random: SeededRandom;
  training: boolean;
}

/** The batch to encode and what the head must predict for it. */
export interface PreparedBatch {
  tokens: TokenizedBatch;
  /** Head-specific targets (e.g. masked positions and their original ids). */
  targets?: unknown;
}

/**
 * Why a batch is decoded: `dev` for model selection during training, `test` for the final
 * (or `stem evaluate`) scores, `predict` for new text. Absent means `dev`. A head may use it
 * to decode differently at test time (the paper's DEP head: argmax on dev, Eisner on test).
 */
export interface DecodeOptions {
  purpose?: 'dev' | 'test' | 'predict';
  /** `PreparedBatch.targets` of the head's `prepareBatch`, when it has one. */
  targets?: unknown;
}

/** Per-step training inputs beyond the batch itself. */
export interface TrainingContext {
  random: SeededRandom;
  /** `PreparedBatch.targets` of the head's `prepareBatch`, when it has one. */
  targets?: unknown;
}

/** What a task head factory receives besides its own config. */
export interface TaskHeadBuildInput {
  hiddenSize: number;
  /** Vocabularies from a saved head, or undefined to collect them from `trainingSentences`. */
  labels?: LabelVocabularies;
  trainingSentences: readonly Sentence[];
  /** The run's encoder, for heads that tie weights to it or need its vocabulary. */
  encoder?: Encoder;
}
