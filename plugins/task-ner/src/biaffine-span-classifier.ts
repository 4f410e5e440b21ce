import {
  glorotUniform,
  labelledBiaffineScores,
  loadWeights,
  type EncoderOutput,
  type FactoryContext,
  type LabeledSpan,
  type LabelVocabularies,
  type Metric,
  type NamedTensorMap,
  type Scalar,
  type Sentence,
  type TaskHead,
  type TaskHeadBuildInput,
  type Tensor2D,
  type Tensor3D,
  type Tensor4D,
  type TrainingContext,
  type Variable,
} from '@stem/core';
import { decodeFlatSpans } from './flat-decoding.js';
import type { NerConfig } from './ner-config.js';
import { SpanF1 } from './span-f1.js';
import { spanTargets } from './span-targets.js';

/**
 * NER as in He & Choi (2021, "The Stem Cell Hypothesis", the task decoders), the
 * biaffine span classifier of Yu, Bohnet & Poesio (2020): start and end projections s_i = W_s h_i and
 * e_j = W_e h_j (no activation), and one biaffine form per label,
 * r_c(i, j) = [s_i; 1]^T U_c [e_j; 1], for every span i <= j. Label 0 is null (no entity),
 * the others are the entity types of the training split. Trained with cross-entropy over
 * all valid spans of the batch; decoded flat (see flat-decoding.ts).
 */
export class BiaffineSpanClassifier implements TaskHead<LabeledSpan[]> {
  readonly requires = ['ner'] as const;
  private readonly types: string[];
  private readonly typeIndex: Map<string, number>;
  /** [hidden, projection] */
  private readonly startProjection: Variable;
  /** [hidden, projection] */
  private readonly endProjection: Variable;
  /** [projection + 1, labels * (projection + 1)]: U_c is column block c. */
  private readonly biaffine: Variable;

  constructor(
    private readonly tf: FactoryContext['tf'],
    private readonly config: NerConfig,
    input: TaskHeadBuildInput,
    random: FactoryContext['random'],
  ) {
    this.types = input.labels?.types
      ? [...input.labels.types]
      : collectTypes(input.trainingSentences);
    if (this.types.length === 0) {
      throw new Error(
        'no entity in the training sentences (annotation layer "ner"): is this an NER corpus?',
      );
    }
    // Index 0 is the null label.
    this.typeIndex = new Map(this.types.map((type, i) => [type, i + 1]));
    const hidden = input.hiddenSize;
    const size = config.projectionSize;
    this.startProjection = glorotUniform(tf, random, hidden, size);
    this.endProjection = glorotUniform(tf, random, hidden, size);
    // Zero biaffine weights (as Dozat & Manning 2017): every span starts at a uniform label
    // distribution and the projections still get gradients through U from the first step on.
    this.biaffine = tf.variable(tf.zeros([size + 1, this.labelCount * (size + 1)]));
  }

  /** Null plus the entity types. */
  get labelCount(): number {
    return this.types.length + 1;
  }

  trainableVariables(): Variable[] {
    return [this.startProjection, this.endProjection, this.biaffine];
  }

  loss(encoded: EncoderOutput, sentences: readonly Sentence[], context?: TrainingContext): Scalar {
    const tf = this.tf;
    return tf.tidy(() => {
      let vectors = encoded.wordVectors;
      if (this.config.dropout > 0 && context) {
        vectors = tf.dropout(
          vectors,
          this.config.dropout,
          undefined,
          context.random.nextSeed(),
        ) as Tensor3D;
      }
      const [batch, words] = vectors.shape;
      const { gold, weight } = spanTargets(
        sentences,
        words,
        this.typeIndex,
        this.config.maxSpanWidth,
      );
      const logProbabilities = tf.logSoftmax(
        this.spanLogits(vectors).reshape([batch * words * words, this.labelCount]),
      );
      // A one-hot product instead of gather: the gather gradient is slow on the CPU backends.
      const goldLogProbability = logProbabilities
        .mul(tf.oneHot(tf.tensor1d(gold, 'int32'), this.labelCount).toFloat())
        .sum(-1);
      const mask = tf.tensor1d(weight);
      return goldLogProbability.mul(mask).sum().neg().div(mask.sum().maximum(1)) as Scalar;
    }) as Scalar;
  }

  decode(encoded: EncoderOutput, sentences: readonly Sentence[]): LabeledSpan[][] {
    const tf = this.tf;
    const probabilities = tf.tidy(() => tf.softmax(this.spanLogits(encoded.wordVectors)));
    const words = probabilities.shape[1] as number;
    const values = probabilities.dataSync();
    probabilities.dispose();
    const cells = words * words * this.labelCount;
    return sentences.map((sentence, b) =>
      decodeFlatSpans({
        values,
        offset: b * cells,
        stride: words,
        length: Math.min(sentence.words.length, words),
        labelCount: this.labelCount,
        ...(this.config.maxSpanWidth ? { maxWidth: this.config.maxSpanWidth } : {}),
      }).map((span) => ({
        start: span.start,
        end: span.end,
        label: this.types[span.label - 1] as string,
      })),
    );
  }

  createMetric(): Metric<Sentence, LabeledSpan[]> {
    return new SpanF1();
  }

  annotate(sentence: Sentence, prediction: LabeledSpan[]): Sentence {
    return { ...sentence, annotations: { ...sentence.annotations, ner: prediction } };
  }

  labels(): LabelVocabularies {
    return { types: [...this.types] };
  }

  weights(): NamedTensorMap {
    return {
      'start.weight': this.startProjection,
      'end.weight': this.endProjection,
      'biaffine.weight': this.biaffine,
    };
  }

  loadWeights(weights: NamedTensorMap): void {
    loadWeights(
      'NER head',
      this.weights(),
      weights,
      'was it trained with another projectionSize or entity types?',
    );
  }

  dispose(): void {
    for (const variable of this.trainableVariables()) variable.dispose();
  }

  /**
   * [batch, words, words, labels]: r_c(i, j) at [b, i, j, c], computed for the whole padded
   * table with two matMuls (padding and j < i are masked by the loss and ignored by decoding).
   */
  spanLogits(vectors: Tensor3D): Tensor4D {
    const tf = this.tf;
    return tf.tidy(() => {
      const [batch, words, hidden] = vectors.shape;
      const flat = vectors.reshape([batch * words, hidden]);
      const size = this.config.projectionSize;
      const starts = flat.matMul(this.startProjection).reshape([batch, words, size]) as Tensor3D;
      const ends = flat.matMul(this.endProjection).reshape([batch, words, size]) as Tensor3D;
      return labelledBiaffineScores(tf, starts, ends, this.biaffine as Tensor2D);
    });
  }
}

/** Entity types in order of first appearance in the training split (stable across runs). */
function collectTypes(sentences: readonly Sentence[]): string[] {
  const seen = new Set<string>();
  for (const sentence of sentences)
    for (const span of sentence.annotations.ner ?? []) seen.add(span.label);
  return [...seen];
}
