import type {
  EncodeOptions,
  Encoder,
  EncoderOutput,
  EncoderShape,
  NamedTensorMap,
  Tensor2D,
  Tensor3D,
  Tensor4D,
  TensorFlow,
  TokenizedBatch,
  Variable,
} from '@stem/core';
import { SeededRandom } from '@stem/core';

let instances = 0;

/**
 * A tiny trainable multi-head self-attention encoder with the Hugging Face names and the
 * layouts of `@stem/encoder-transformer` (query/key/value kernels [hidden, heads x headSize],
 * output kernel [heads x headSize, hidden]): fixed word embeddings, then per layer
 * x <- tanh(x + Attention(x) W_o + b_o), with `headGates` scaling each head's context.
 */
export class ToyAttentionEncoder implements Encoder {
  readonly shape: EncoderShape;
  private readonly embeddings: Tensor2D;
  private readonly variables = new Map<string, Variable>();
  private readonly wordIds: Map<string, number>;

  constructor(
    private readonly tf: TensorFlow,
    words: readonly string[],
    seed: number,
    shape: { layers: number; heads: number; hiddenSize: number } = {
      layers: 2,
      heads: 3,
      hiddenSize: 6,
    },
  ) {
    this.shape = { ...shape, maxPositions: 64 };
    const random = new SeededRandom(seed);
    const h = shape.hiddenSize;
    this.wordIds = new Map(words.map((w, i) => [w, i + 1]));
    const draw = (n: number, range: number) =>
      Array.from({ length: n }, () => random.uniform(-range, range));
    this.embeddings = tf.tensor2d(draw((words.length + 1) * h, 1), [words.length + 1, h]);
    const prefix = `toy-attention-${instances++}/`;
    const add = (name: string, shape: number[], range: number) =>
      this.variables.set(
        name,
        tf.variable(
          tf.tensor(
            draw(
              shape.reduce((a, b) => a * b, 1),
              range,
            ),
            shape,
          ),
          true,
          `${prefix}${name}`,
        ),
      );
    for (let l = 0; l < shape.layers; l++) {
      for (const part of ['query', 'key', 'value']) {
        add(`encoder.layer.${l}.attention.self.${part}.weight`, [h, h], 0.8);
        add(`encoder.layer.${l}.attention.self.${part}.bias`, [h], 0.2);
      }
      add(`encoder.layer.${l}.attention.output.dense.weight`, [h, h], 0.8);
      add(`encoder.layer.${l}.attention.output.dense.bias`, [h], 0.2);
    }
  }

  private p(name: string): Variable {
    return this.variables.get(name) as Variable;
  }

  async tokenize(sentences: readonly (readonly string[])[]): Promise<TokenizedBatch> {
    return {
      subwordIds: sentences.map((words) => words.map((w) => this.wordIds.get(w) ?? 0)),
      wordSpans: sentences.map((words) => words.map((_, i) => [i, i] as [number, number])),
      wordCounts: sentences.map((words) => words.length),
    };
  }

  encode(batch: TokenizedBatch, options: EncodeOptions): EncoderOutput {
    const tf = this.tf;
    const { layers, heads, hiddenSize: h } = this.shape;
    const d = h / heads;
    const rows = batch.wordCounts.length;
    const width = Math.max(...batch.wordCounts);
    const ids = batch.subwordIds.map((row) => Array.from({ length: width }, (_, i) => row[i] ?? 0));
    const mask = batch.wordCounts.map((count) =>
      Array.from({ length: width }, (_, i) => (i < count ? 1 : 0)),
    );
    const wordVectors = tf.tidy(() => {
      let x = tf
        .gather(this.embeddings, tf.tensor2d(ids, [rows, width], 'int32'))
        .reshape([rows * width, h]) as Tensor2D;
      const maskBias = tf
        .sub(1, tf.tensor2d(mask, [rows, width]))
        .mul(-1e9)
        .reshape([rows, 1, 1, width]);
      for (let l = 0; l < layers; l++) {
        const n = `encoder.layer.${l}.attention.`;
        const project = (part: string) =>
          tf
            .add(
              tf.matMul(x, this.p(`${n}self.${part}.weight`) as Tensor2D),
              this.p(`${n}self.${part}.bias`),
            )
            .reshape([rows, width, heads, d])
            .transpose([0, 2, 1, 3]) as Tensor4D;
        const [q, k, v] = [project('query'), project('key'), project('value')];
        const probs = tf.softmax(
          tf.add(tf.matMul(q, k, false, true).mul(1 / Math.sqrt(d)), maskBias),
        );
        let context = tf.matMul(probs as Tensor4D, v) as Tensor4D;
        if (options.headGates)
          context = context.mul(
            tf.slice(options.headGates, [l, 0], [1, heads]).reshape([1, heads, 1, 1]),
          );
        const merged = context.transpose([0, 2, 1, 3]).reshape([rows * width, h]) as Tensor2D;
        x = tf.tanh(
          tf.add(
            x,
            tf.add(
              tf.matMul(merged, this.p(`${n}output.dense.weight`) as Tensor2D),
              this.p(`${n}output.dense.bias`),
            ),
          ),
        ) as Tensor2D;
      }
      return x.reshape([rows, width, h]) as Tensor3D;
    });
    return {
      wordVectors,
      wordMask: tf.tensor2d(mask, [rows, width]),
      rootVector: tf.zeros([rows, h]) as Tensor2D,
      eosVector: tf.zeros([rows, h]) as Tensor2D,
    };
  }

  trainableVariables(): Variable[] {
    return [...this.variables.values()];
  }

  weights(): NamedTensorMap {
    return Object.fromEntries(this.variables);
  }

  loadWeights(weights: NamedTensorMap): void {
    for (const [name, variable] of this.variables) variable.assign(weights[name] as Variable);
  }

  async save(): Promise<void> {
    throw new Error('test encoder');
  }

  dispose(): void {
    this.tf.dispose([this.embeddings, ...this.variables.values()]);
  }
}
