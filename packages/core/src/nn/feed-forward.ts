import type { Tensor, Tensor2D, TensorFlow, Variable } from '../contracts/tensorflow.js';
import type { SeededRandom } from '../random/seeded-random.js';
import { denseLayer, linear, type Activation, type DenseLayer } from './dense-layer.js';

/** Applied to every hidden activation: dropout in training, identity otherwise. */
export type HiddenDropout = (activation: Tensor) => Tensor;

export interface FeedForwardOptions {
  /** Of every hidden layer (default ReLU). */
  activation?: Activation;
}

/**
 * A feed-forward network (MLP): hidden layers with an activation, then a linear output
 * layer. Each layer is Glorot-uniform with a zero bias, drawn from `random` layer by layer
 * (weight, then bias), hidden layers first.
 *
 * The first layer is exposed as `firstWeightRows` so a caller can apply it to the parts of a
 * concatenated input separately (W [x; y] = W_x x + W_y y): SRL's span and pair scorers use
 * that to avoid materialising the concatenation for every candidate.
 */
export class FeedForward {
  private readonly hidden: DenseLayer[];
  private readonly output: DenseLayer;
  private readonly activation: Activation;

  constructor(
    private readonly tf: TensorFlow,
    readonly inputSize: number,
    hiddenSizes: readonly number[],
    readonly outputSize: number,
    random: SeededRandom,
    options: FeedForwardOptions = {},
  ) {
    const sizes = [inputSize, ...hiddenSizes];
    this.hidden = hiddenSizes.map((size, i) => denseLayer(tf, random, sizes[i] as number, size));
    this.output = denseLayer(tf, random, sizes[sizes.length - 1] as number, outputSize);
    this.activation = options.activation ?? ((x) => tf.relu(x));
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
    return this.fromFirstPreactivation(linear(this.tf, input, first.weight as Tensor2D), dropout);
  }

  /**
   * Continues from the first layer's pre-activation without its bias, [..., firstHiddenSize]
   * (the sum of the input blocks times their `firstWeightRows`).
   */
  fromFirstPreactivation(preactivation: Tensor, dropout: HiddenDropout): Tensor {
    const tf = this.tf;
    if (this.hidden.length === 0) return tf.add(preactivation, this.output.bias);
    let x = dropout(this.activation(tf.add(preactivation, (this.hidden[0] as DenseLayer).bias)));
    for (const layer of this.hidden.slice(1))
      x = dropout(this.activation(tf.add(linear(tf, x, layer.weight as Tensor2D), layer.bias)));
    return tf.add(linear(tf, x, this.output.weight as Tensor2D), this.output.bias);
  }

  /** Weights by stable names under `prefix`: `<prefix>.<i>.weight|bias`, `<prefix>.output.*`. */
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
}
