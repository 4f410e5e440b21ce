import {
  loadWeights,
  type EncoderOutput,
  type FactoryContext,
  type LabelVocabularies,
  type Metric,
  type MetricResult,
  type NamedTensorMap,
  type Scalar,
  type Sentence,
  type TaskHead,
  type TaskHeadBuildInput,
  type Tensor2D,
  type Variable,
} from '@stem/core';

export interface CapitalisationTaggerConfig {
  /** Standard deviation of the initial weights. */
  initScale: number;
}

/** The two labels; derived from the words themselves, so any corpus can train it. */
export const CAPITALISATION_LABELS = ['lower', 'capitalised'] as const;

/** Where `annotate` puts the predicted labels: a key of the plugin's own beside core's layers. */
export const CAPITALISATION_LAYER = 'capitalisation';

export function capitalisationOf(word: string): number {
  const first = word.charAt(0);
  return first !== first.toLowerCase() ? 1 : 0;
}

/**
 * A deliberately small task head: a linear layer over the shared word vectors that tells
 * capitalised words from the rest. It shows every part of the TaskHead contract a real
 * head implements (loss, decode, metric, labels, weights) without any linguistics.
 */
export class CapitalisationTagger implements TaskHead<number[]> {
  readonly requires = [] as const;
  private readonly weight: Variable;
  private readonly bias: Variable;

  constructor(
    private readonly tf: FactoryContext['tf'],
    input: TaskHeadBuildInput,
    config: CapitalisationTaggerConfig,
    random: FactoryContext['random'],
  ) {
    const labels = CAPITALISATION_LABELS.length;
    // Initial weights come from the run's seeded stream, never from Math.random.
    const values = Array.from(
      { length: input.hiddenSize * labels },
      () => random.uniform(-1, 1) * config.initScale,
    );
    this.weight = tf.variable(tf.tensor2d(values, [input.hiddenSize, labels]));
    this.bias = tf.variable(tf.zeros([labels]));
  }

  trainableVariables(): Variable[] {
    return [this.weight, this.bias];
  }

  loss(encoded: EncoderOutput, sentences: readonly Sentence[]): Scalar {
    const tf = this.tf;
    return tf.tidy(() => {
      const logits = this.logits(encoded);
      const gold = tf.tensor1d(paddedLabels(sentences, encoded.wordMask.shape[1]), 'int32');
      const perWord = tf.losses.softmaxCrossEntropy(
        tf.oneHot(gold, CAPITALISATION_LABELS.length),
        logits,
        undefined,
        0,
        tf.Reduction.NONE,
      );
      const mask = encoded.wordMask.reshape([-1]);
      return perWord.mul(mask).sum().div(mask.sum().maximum(1)) as Scalar;
    });
  }

  decode(encoded: EncoderOutput, sentences: readonly Sentence[]): number[][] {
    // Flat [batch * maxWords] predictions, cut back into sentences.
    const best = this.tf.tidy(() => this.logits(encoded).argMax(-1));
    const predicted = best.arraySync() as number[];
    best.dispose();
    const width = encoded.wordMask.shape[1];
    return sentences.map((sentence, b) =>
      predicted.slice(b * width, b * width + sentence.words.length),
    );
  }

  createMetric(): Metric<Sentence, number[]> {
    return new CapitalisationAccuracy();
  }

  /**
   * Capitalisation is none of core's five layers, so the labels go under the plugin's own key
   * (`capitalisation`), where its prediction format (`prediction-format.ts`) reads them.
   */
  annotate(sentence: Sentence, prediction: number[]): Sentence {
    const labels = prediction.map((label) => CAPITALISATION_LABELS[label] as string);
    const annotations: Record<string, unknown> = { ...sentence.annotations };
    annotations[CAPITALISATION_LAYER] = labels;
    return { ...sentence, annotations: annotations as Sentence['annotations'] };
  }

  labels(): LabelVocabularies {
    return { capitalisation: [...CAPITALISATION_LABELS] };
  }

  weights(): NamedTensorMap {
    return { weight: this.weight, bias: this.bias };
  }

  loadWeights(weights: NamedTensorMap): void {
    loadWeights('capitalisation tagger', this.weights(), weights);
  }

  dispose(): void {
    this.weight.dispose();
    this.bias.dispose();
  }

  /** [batch * maxWords, labels] */
  private logits(encoded: EncoderOutput): Tensor2D {
    const [batch, words, hidden] = encoded.wordVectors.shape;
    return encoded.wordVectors
      .reshape([batch * words, hidden])
      .matMul(this.weight)
      .add(this.bias) as Tensor2D;
  }
}

function paddedLabels(sentences: readonly Sentence[], width: number): number[] {
  return sentences.flatMap((sentence) =>
    Array.from({ length: width }, (_, i) =>
      i < sentence.words.length ? capitalisationOf(sentence.words[i] as string) : 0,
    ),
  );
}

class CapitalisationAccuracy implements Metric<Sentence, number[]> {
  private correct = 0;
  private total = 0;

  update(gold: readonly Sentence[], predicted: readonly number[][]): void {
    gold.forEach((sentence, s) => {
      sentence.words.forEach((word, i) => {
        this.total += 1;
        if (predicted[s]?.[i] === capitalisationOf(word)) this.correct += 1;
      });
    });
  }

  result(): MetricResult {
    return {
      primary: 'accuracy',
      scores: { accuracy: this.total === 0 ? 0 : this.correct / this.total },
    };
  }

  reset(): void {
    this.correct = 0;
    this.total = 0;
  }
}
