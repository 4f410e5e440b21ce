import {
  loadWeights,
  type EncodeOptions,
  type Encoder,
  type EncoderOutput,
  type EncoderShape,
  type EncoderVocabulary,
  type NamedTensorMap,
  type SeededRandom,
  type Tensor2D,
  type Tensor3D,
  type TensorFlow,
  type TokenizedBatch,
  type Variable,
} from '@stem/core';

const CLS = 0;
const SEP = 1;
const MASK = 2;
const FIRST_WORD_ID = 3;

export interface ToyEncoderOptions {
  hiddenSize?: number;
  /** Hash buckets for words (one sub-word per word). */
  vocabularySize?: number;
  /** Probability of replacing a word by [MASK] in training (needs `options.random`). */
  wordDropout?: number;
}

/**
 * A tiny, real, trainable Encoder for tests of heads and of the trainer: each word is one
 * sub-word (hashed into an embedding table), followed by one tanh layer. It implements the
 * whole Encoder contract (word dropout from the step's random stream, weights, loadWeights)
 * in milliseconds on the pure-JS backend, so conformance tests need no transformer.
 */
export class ToyEncoder implements Encoder {
  readonly shape: EncoderShape;
  private readonly embeddings: Variable;
  private readonly kernel: Variable;
  private readonly bias: Variable;
  private readonly vocabularySize: number;
  private readonly wordDropout: number;

  constructor(
    private readonly tf: TensorFlow,
    random: SeededRandom,
    options: ToyEncoderOptions = {},
  ) {
    const hidden = options.hiddenSize ?? 16;
    this.vocabularySize = options.vocabularySize ?? 1009;
    this.wordDropout = options.wordDropout ?? 0;
    this.shape = { layers: 1, heads: 1, hiddenSize: hidden, maxPositions: 512 };
    const uniform = (count: number, scale: number) =>
      Array.from({ length: count }, () => random.uniform(-scale, scale));
    this.embeddings = tf.variable(
      tf.tensor2d(uniform(this.vocabularySize * hidden, 0.5), [this.vocabularySize, hidden]),
    );
    this.kernel = tf.variable(
      tf.tensor2d(uniform(hidden * hidden, 1 / Math.sqrt(hidden)), [hidden, hidden]),
    );
    this.bias = tf.variable(tf.zeros([hidden]));
  }

  async tokenize(sentences: readonly (readonly string[])[]): Promise<TokenizedBatch> {
    return {
      subwordIds: sentences.map((words) => [CLS, ...words.map((word) => this.wordId(word)), SEP]),
      wordSpans: sentences.map((words) => words.map((_, w) => [w + 1, w + 1] as [number, number])),
      wordCounts: sentences.map((words) => words.length),
    };
  }

  encode(batch: TokenizedBatch, options: EncodeOptions): EncoderOutput {
    const tf = this.tf;
    const random = options.random;
    const length = Math.max(...batch.subwordIds.map((ids) => ids.length));
    const ids = batch.subwordIds.map((row) =>
      Array.from({ length }, (_, i) => {
        const id = row[i];
        if (id === undefined) return SEP;
        const droppable =
          id >= FIRST_WORD_ID && options.training && random !== undefined && this.wordDropout > 0;
        return droppable && (random as SeededRandom).next() < this.wordDropout ? MASK : id;
      }),
    );
    const batchSize = ids.length;
    const hidden = this.shape.hiddenSize;
    const states = tf.tidy(() => {
      // A one-hot product instead of gather: the pure-JS backend's gather gradient loops over
      // every vocabulary row (unsortedSegmentSum) and is a thousand times slower here.
      const flat = tf
        .oneHot(tf.tensor1d(ids.flat(), 'int32'), this.vocabularySize)
        .toFloat()
        .matMul(this.embeddings) as Tensor2D;
      return tf
        .tanh(flat.matMul(this.kernel).add(this.bias))
        .reshape([batchSize, length, hidden]) as Tensor3D;
    });
    const words = Math.max(1, ...batch.wordCounts);
    // Word w is sub-word w + 1; padding words point at [SEP] and are masked out.
    const wordVectors = tf.tidy(
      () => states.slice([0, 1, 0], [batchSize, Math.min(words, length - 1), hidden]) as Tensor3D,
    );
    const wordMask = tf.tensor2d(
      batch.wordCounts.flatMap((count) =>
        Array.from({ length: words }, (_, w) => (w < count ? 1 : 0)),
      ),
      [batchSize, words],
    );
    const rootVector = tf.tidy(
      () =>
        states.slice([0, 0, 0], [batchSize, 1, hidden]).reshape([batchSize, hidden]) as Tensor2D,
    );
    const eosIndex = batch.subwordIds.map((row, b) => b * length + row.length - 1);
    const eosVector = tf.tidy(
      () =>
        tf.gather(
          states.reshape([batchSize * length, hidden]),
          tf.tensor1d(eosIndex, 'int32'),
        ) as Tensor2D,
    );
    const output: EncoderOutput = { wordVectors, wordMask, rootVector, eosVector };
    if (options.returnSubwordStates) output.subwordStates = states;
    else states.dispose();
    return output;
  }

  /** [CLS], [SEP] (also the padding) and [MASK], then one hash bucket per word. */
  vocabulary(): EncoderVocabulary {
    return { size: this.vocabularySize, specials: { cls: CLS, sep: SEP, pad: SEP, mask: MASK } };
  }

  inputEmbeddings(): Variable {
    return this.embeddings;
  }

  trainableVariables(): Variable[] {
    return [this.embeddings, this.kernel, this.bias];
  }

  weights(): NamedTensorMap {
    return { embeddings: this.embeddings, 'dense.weight': this.kernel, 'dense.bias': this.bias };
  }

  loadWeights(weights: NamedTensorMap): void {
    loadWeights('toy encoder', this.weights(), weights);
  }

  async save(): Promise<void> {
    throw new Error('the toy encoder is for tests: its weights are saved through weights()');
  }

  dispose(): void {
    for (const variable of this.trainableVariables()) variable.dispose();
  }

  private wordId(word: string): number {
    let hash = 2166136261;
    for (let i = 0; i < word.length; i++) hash = Math.imul(hash ^ word.charCodeAt(i), 16777619);
    return FIRST_WORD_ID + ((hash >>> 0) % (this.vocabularySize - FIRST_WORD_ID));
  }
}
