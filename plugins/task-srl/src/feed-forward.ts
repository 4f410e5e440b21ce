import type { SeededRandom, Tensor, Tensor2D, TensorFlow, Variable } from '@stem/core';

/** Applied to every hidden activation: dropout in training, identity otherwise. */
export type HiddenDropout = (activation: Tensor) => Tensor;

interface DenseLayer {
  weight: Variable;
  bias: Variable;
}

/**
 * A ReLU feed-forward scorer: hidden layers, then a linear output layer.
 *
 * The first layer is exposed as `firstWeightRows` so a caller can apply it to the parts of a
 * concatenated input separately (W [x; y] = W_x x + W_y y): the span and pair scorers use
 * that to avoid materialising the concatenation for every candidate.
 */
export class FeedForward {
  private readonly hidden: DenseLayer[];
  private readonly output: DenseLayer;

  constructor(
    private readonly tf: TensorFlow,
    readonly inputSize: number,
    hiddenSizes: readonly number[],
    readonly outputSize: number,
    random: SeededRandom,
  ) {
    const sizes = [inputSize, ...hiddenSizes];
    this.hidden = hiddenSizes.map((size, i) => this.dense(sizes[i] as number, size, random));
    this.output = this.dense(sizes[sizes.length - 1] as number, outputSize, random);
  }

  get firstHiddenSize(): number {
    return this.hidden[0]?.weight.shape[1] ?? this.outputSize;
  }

  /** Rows [offset, offset + count) of the first layer's weight: its part for one input block. */
  firstWeightRows(offset: number, count: number): Tensor2D {
    const first = this.hidden[0] ?? this.output;
    return this.tf.slice(
      first.weight as Tensor2D,
      [offset, 0],
      [count, first.weight.shape[1] as number],
    );
  }

  /** The whole network on inputs [..., inputSize] -> [..., outputSize]. */
  apply(input: Tensor, dropout: HiddenDropout): Tensor {
    const first = this.hidden[0] ?? this.output;
    return this.fromFirstPreactivation(this.linear(input, first.weight), dropout);
  }

  /**
   * Continues from the first layer's pre-activation without its bias, [..., firstHiddenSize]
   * (the sum of the input blocks times their `firstWeightRows`).
   */
  fromFirstPreactivation(preactivation: Tensor, dropout: HiddenDropout): Tensor {
    const tf = this.tf;
    if (this.hidden.length === 0) return tf.add(preactivation, this.output.bias);
    let x = dropout(tf.relu(tf.add(preactivation, (this.hidden[0] as DenseLayer).bias)));
    for (const layer of this.hidden.slice(1))
      x = dropout(tf.relu(tf.add(this.linear(x, layer.weight), layer.bias)));
    return tf.add(this.linear(x, this.output.weight), this.output.bias);
  }

  /** Weights by stable names under `prefix`. */
  namedWeights(prefix: string): Record<string, Variable> {
    const named: Record<string, Variable> = {};
    this.hidden.forEach((layer, i) => {
      named[`${prefix}.${i}.weight`] = layer.weight;
      named[`${prefix}.${i}.bias`] = layer.bias;
    });
    named[`${prefix}.output.weight`] = this.output.weight;
    named[`${prefix}.output.bias`] = this.output.bias;
    return named;
  }

  variables(): Variable[] {
    return Object.values(this.namedWeights('_'));
  }

  /** x [..., in] times w [in, out], through a rank-2 product (the fast path on every backend). */
  private linear(x: Tensor, weight: Variable | Tensor2D): Tensor {
    const tf = this.tf;
    const inner = x.shape[x.shape.length - 1] as number;
    const out = weight.shape[1] as number;
    const flat = tf.matMul(tf.reshape(x, [-1, inner]) as Tensor2D, weight as Tensor2D);
    return tf.reshape(flat, [...x.shape.slice(0, -1), out]);
  }

  /** Glorot-uniform weight from the seeded stream, zero bias. */
  private dense(input: number, output: number, random: SeededRandom): DenseLayer {
    const tf = this.tf;
    const limit = Math.sqrt(6 / (input + output));
    const values = Float32Array.from({ length: input * output }, () =>
      random.uniform(-limit, limit),
    );
    return {
      weight: variableOf(tf, tf.tensor2d(values, [input, output])),
      bias: variableOf(tf, tf.zeros([output])),
    };
  }
}

/** A variable holding `initial`; the initial tensor is released (the variable keeps its data). */
export function variableOf(tf: TensorFlow, initial: Tensor): Variable {
  const variable = tf.variable(initial);
  initial.dispose();
  return variable;
}
