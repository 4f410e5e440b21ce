import type {
  EncodeOptions,
  Encoder,
  EncoderOutput,
  EncoderVocabulary,
  NamedTensorMap,
  SeededRandom,
  Tensor3D,
  TensorFlow,
  TokenizedBatch,
  Variable,
} from '@stem/core';

const SPECIALS = { cls: 0, sep: 1, pad: 2, mask: 3 };

/**
 * A tiny encoder that sees context: each sub-word state is tanh(x_t A + x_{t-1} B +
 * x_{t+1} C + b) over the word embeddings x. Enough for a masked token to be predicted
 * from its neighbours, which a context-free encoder cannot do; one word is one sub-word.
 */
export class NeighbourEncoder implements Encoder {
  readonly shape;
  private readonly embeddings: Variable;
  private readonly kernels: Variable[];
  private readonly bias: Variable;
  private readonly ids: Map<string, number>;

  constructor(
    private readonly tf: TensorFlow,
    words: readonly string[],
    random: SeededRandom,
    hidden = 16,
  ) {
    this.shape = { layers: 1, heads: 1, hiddenSize: hidden, maxPositions: 512 };
    this.ids = new Map(words.map((word, i) => [word, 4 + i]));
    const size = 4 + words.length;
    const uniform = (count: number, scale: number) =>
      Array.from({ length: count }, () => random.uniform(-scale, scale));
    this.embeddings = tf.variable(tf.tensor2d(uniform(size * hidden, 0.5), [size, hidden]));
    this.kernels = [0, 1, 2].map(() =>
      tf.variable(tf.tensor2d(uniform(hidden * hidden, 1 / Math.sqrt(hidden)), [hidden, hidden])),
    );
    this.bias = tf.variable(tf.zeros([hidden]));
  }

  async tokenize(sentences: readonly (readonly string[])[]): Promise<TokenizedBatch> {
    return {
      subwordIds: sentences.map((words) => [
        SPECIALS.cls,
        ...words.map((word) => {
          const id = this.ids.get(word);
          if (id === undefined) throw new Error(`unknown word ${word}`);
          return id;
        }),
        SPECIALS.sep,
      ]),
      wordSpans: sentences.map((words) => words.map((_, w) => [w + 1, w + 1] as [number, number])),
      wordCounts: sentences.map((words) => words.length),
    };
  }

  encode(batch: TokenizedBatch, options: EncodeOptions): EncoderOutput {
    const tf = this.tf;
    const length = Math.max(...batch.subwordIds.map((row) => row.length));
    const rows = batch.subwordIds.length;
    const hidden = this.shape.hiddenSize;
    const ids = batch.subwordIds.map((row) =>
      Array.from({ length }, (_, t) => row[t] ?? SPECIALS.pad),
    );
    return tf.tidy(() => {
      const size = this.embeddings.shape[0] as number;
      const x = tf
        .oneHot(tf.tensor1d(ids.flat(), 'int32'), size)
        .toFloat()
        .matMul(this.embeddings)
        .reshape([rows, length, hidden]);
      const left = tf
        .pad(x, [
          [0, 0],
          [1, 0],
          [0, 0],
        ])
        .slice([0, 0, 0], [rows, length, hidden]);
      const right = tf
        .pad(x, [
          [0, 0],
          [0, 1],
          [0, 0],
        ])
        .slice([0, 1, 0], [rows, length, hidden]);
      const mixed = [x, left, right]
        .map((part, i) => part.reshape([rows * length, hidden]).matMul(this.kernels[i] as Variable))
        .reduce((sum, part) => sum.add(part))
        .add(this.bias);
      const states = tf.tanh(mixed).reshape([rows, length, hidden]) as Tensor3D;
      const words = Math.max(1, ...batch.wordCounts);
      const out: EncoderOutput = {
        wordVectors: states.slice([0, 1, 0], [rows, Math.min(words, length - 1), hidden]),
        wordMask: tf.ones([rows, words]),
        rootVector: states.slice([0, 0, 0], [rows, 1, hidden]).reshape([rows, hidden]),
        eosVector: states.slice([0, 0, 0], [rows, 1, hidden]).reshape([rows, hidden]),
      };
      if (options.returnSubwordStates) out.subwordStates = states;
      return out as unknown as NamedTensorMap;
    }) as unknown as EncoderOutput;
  }

  vocabulary(): EncoderVocabulary {
    return { size: this.embeddings.shape[0] as number, specials: SPECIALS };
  }

  inputEmbeddings(): Variable {
    return this.embeddings;
  }

  trainableVariables(): Variable[] {
    return [this.embeddings, ...this.kernels, this.bias];
  }

  weights(): NamedTensorMap {
    return {};
  }

  loadWeights(): void {}

  async save(): Promise<void> {}

  dispose(): void {
    this.tf.dispose(this.trainableVariables());
  }
}
