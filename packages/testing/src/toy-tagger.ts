import {
  loadWeights,
  uniformVariable,
  type EncoderOutput,
  type LabelVocabularies,
  type Metric,
  type MetricResult,
  type NamedTensorMap,
  type Scalar,
  type SeededRandom,
  type Sentence,
  type TaskHead,
  type Tensor2D,
  type TensorFlow,
  type TrainingContext,
  type Variable,
} from '@stem/core';

/**
 * A minimal POS-style head (linear + softmax over `annotations.pos`) for trainer tests. It
 * can be told to return NaN from a given call, to test how the trainer stops.
 */
export class ToyTagger implements TaskHead<string[]> {
  readonly requires = ['pos'] as const;
  private readonly weight: Variable;
  private readonly bias: Variable;
  private readonly tags: string[];
  private calls = 0;

  constructor(
    private readonly tf: TensorFlow,
    hiddenSize: number,
    tags: readonly string[],
    random: SeededRandom,
    private readonly nanFromCall = Infinity,
  ) {
    this.tags = [...tags];
    this.weight = uniformVariable(tf, random, hiddenSize, tags.length, 0.1);
    this.bias = tf.variable(tf.zeros([tags.length]));
  }

  static tagsOf(sentences: readonly Sentence[]): string[] {
    return [...new Set(sentences.flatMap((s) => s.annotations.pos ?? []))].sort();
  }

  trainableVariables(): Variable[] {
    return [this.weight, this.bias];
  }

  loss(encoded: EncoderOutput, sentences: readonly Sentence[], _context?: TrainingContext): Scalar {
    this.calls += 1;
    const tf = this.tf;
    return tf.tidy(() => {
      const [batch, words, hidden] = encoded.wordVectors.shape;
      const logits = encoded.wordVectors
        .reshape([batch * words, hidden])
        .matMul(this.weight)
        .add(this.bias) as Tensor2D;
      const gold = sentences.flatMap((s) =>
        Array.from({ length: words }, (_, i) =>
          Math.max(0, this.tags.indexOf(s.annotations.pos?.[i] ?? '')),
        ),
      );
      const mask = encoded.wordMask.reshape([-1]);
      const perWord = tf.losses.softmaxCrossEntropy(
        tf.oneHot(tf.tensor1d(gold, 'int32'), this.tags.length),
        logits,
        undefined,
        0,
        tf.Reduction.NONE,
      );
      const loss = perWord.mul(mask).sum().div(mask.sum()) as Scalar;
      return this.calls >= this.nanFromCall ? (loss.mul(Number.NaN) as Scalar) : loss;
    });
  }

  decode(encoded: EncoderOutput, sentences: readonly Sentence[]): string[][] {
    const [batch, words, hidden] = encoded.wordVectors.shape;
    const bestTensor = this.tf.tidy(() =>
      encoded.wordVectors
        .reshape([batch * words, hidden])
        .matMul(this.weight)
        .add(this.bias)
        .argMax(-1),
    );
    const best = bestTensor.arraySync() as number[];
    bestTensor.dispose();
    return sentences.map((s, b) =>
      s.words.map((_, i) => this.tags[best[b * words + i] as number] as string),
    );
  }

  createMetric(): Metric<Sentence, string[]> {
    let correct = 0;
    let total = 0;
    return {
      update(gold, predicted) {
        gold.forEach((s, b) =>
          s.annotations.pos?.forEach((tag, i) => {
            total += 1;
            if (predicted[b]?.[i] === tag) correct += 1;
          }),
        );
      },
      result: (): MetricResult => ({
        primary: 'accuracy',
        scores: { accuracy: total ? correct / total : 0 },
      }),
      reset() {
        correct = 0;
        total = 0;
      },
    };
  }

  annotate(sentence: Sentence, prediction: string[]): Sentence {
    return { ...sentence, annotations: { ...sentence.annotations, pos: prediction } };
  }

  labels(): LabelVocabularies {
    return { tags: [...this.tags] };
  }

  weights(): NamedTensorMap {
    return { weight: this.weight, bias: this.bias };
  }

  loadWeights(weights: NamedTensorMap): void {
    loadWeights('toy tagger', this.weights(), weights);
  }

  dispose(): void {
    this.weight.dispose();
    this.bias.dispose();
  }
}
