import {
  glorotUniform,
  loadWeights,
  type EncoderOutput,
  type FactoryContext,
  type LabelVocabularies,
  type Metric,
  type NamedTensorMap,
  type Scalar,
  type Sentence,
  type TaskHead,
  type TaskHeadBuildInput,
  type Tensor2D,
  type TrainingContext,
  type Variable,
} from '@stem/core';
import type { PosConfig } from './pos-config.js';
import { TaggingAccuracy } from './tagging-accuracy.js';

/** Tags of a sentence in the configured tag set. */
function tagsOf(sentence: Sentence, tagSet: PosConfig['tagSet']): readonly string[] | undefined {
  return tagSet === 'xpos' ? sentence.annotations.pos : sentence.annotations.upos;
}

/**
 * POS tagging as in He & Choi (2021, "The Stem Cell Hypothesis", the task decoders): a
 * linear layer + softmax over each word vector, trained with token cross-entropy. Tags unseen in training map to nothing at training time (the
 * vocabulary comes from the training split) and always count as errors at test time.
 */
export class SoftmaxTagger implements TaskHead<string[]> {
  readonly requires;
  private readonly tags: string[];
  private readonly tagIndex: Map<string, number>;
  private readonly weight: Variable;
  private readonly bias: Variable;

  constructor(
    private readonly tf: FactoryContext['tf'],
    private readonly config: PosConfig,
    input: TaskHeadBuildInput,
    random: FactoryContext['random'],
  ) {
    this.requires = [config.tagSet === 'xpos' ? 'pos' : 'upos'] as const;
    this.tags = input.labels?.tags
      ? [...input.labels.tags]
      : collectTags(input.trainingSentences, config.tagSet);
    if (this.tags.length === 0) {
      throw new Error(
        `no ${config.tagSet} tags in the training sentences: is this a POS-annotated corpus?`,
      );
    }
    this.tagIndex = new Map(this.tags.map((tag, i) => [tag, i]));
    this.weight = glorotUniform(tf, random, input.hiddenSize, this.tags.length);
    this.bias = tf.variable(tf.zeros([this.tags.length]));
  }

  trainableVariables(): Variable[] {
    return [this.weight, this.bias];
  }

  loss(encoded: EncoderOutput, sentences: readonly Sentence[], context?: TrainingContext): Scalar {
    const tf = this.tf;
    return tf.tidy(() => {
      const words = encoded.wordMask.shape[1];
      let vectors = encoded.wordVectors;
      if (this.config.dropout > 0 && context) {
        vectors = tf.dropout(
          vectors,
          this.config.dropout,
          undefined,
          context.random.nextSeed(),
        ) as typeof vectors;
      }
      const logits = this.logits(vectors);
      const gold: number[] = [];
      const weights: number[] = [];
      for (const sentence of sentences) {
        const tags = tagsOf(sentence, this.config.tagSet) ?? [];
        for (let i = 0; i < words; i++) {
          const index = i < tags.length ? this.tagIndex.get(tags[i] as string) : undefined;
          gold.push(index ?? 0);
          // Padding and tags unseen in training carry no loss.
          weights.push(index === undefined ? 0 : 1);
        }
      }
      const mask = tf.tensor1d(weights);
      const perWord = tf.losses.softmaxCrossEntropy(
        tf.oneHot(tf.tensor1d(gold, 'int32'), this.tags.length),
        logits,
        undefined,
        0,
        tf.Reduction.NONE,
      );
      return perWord.mul(mask).sum().div(mask.sum().maximum(1)) as Scalar;
    }) as Scalar;
  }

  decode(encoded: EncoderOutput, sentences: readonly Sentence[]): string[][] {
    const words = encoded.wordMask.shape[1];
    const best = this.tf.tidy(() => this.logits(encoded.wordVectors).argMax(-1));
    const indices = best.dataSync();
    best.dispose();
    return sentences.map((sentence, b) =>
      sentence.words.map((_, i) => this.tags[indices[b * words + i] as number] as string),
    );
  }

  createMetric(): Metric<Sentence, string[]> {
    return new TaggingAccuracy((sentence) => tagsOf(sentence, this.config.tagSet));
  }

  annotate(sentence: Sentence, prediction: string[]): Sentence {
    const layer = this.config.tagSet === 'xpos' ? 'pos' : 'upos';
    return { ...sentence, annotations: { ...sentence.annotations, [layer]: prediction } };
  }

  labels(): LabelVocabularies {
    return { tags: [...this.tags] };
  }

  weights(): NamedTensorMap {
    return { 'classifier.weight': this.weight, 'classifier.bias': this.bias };
  }

  loadWeights(weights: NamedTensorMap): void {
    loadWeights('POS head', this.weights(), weights, 'was it trained with another tag set?');
  }

  dispose(): void {
    this.weight.dispose();
    this.bias.dispose();
  }

  /** [batch * words, tags] */
  private logits(vectors: EncoderOutput['wordVectors']): Tensor2D {
    const [batch, words, hidden] = vectors.shape;
    return vectors
      .reshape([batch * words, hidden])
      .matMul(this.weight)
      .add(this.bias) as Tensor2D;
  }
}

/** Tags in order of first appearance in the training split (stable across runs). */
function collectTags(sentences: readonly Sentence[], tagSet: PosConfig['tagSet']): string[] {
  const seen = new Set<string>();
  for (const sentence of sentences) for (const tag of tagsOf(sentence, tagSet) ?? []) seen.add(tag);
  return [...seen];
}
