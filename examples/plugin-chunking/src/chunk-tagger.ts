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
import { decodeValidTags } from './bio-viterbi.js';
import { ChunkF1 } from './chunk-f1.js';
import { CONLL2000_DATASET_ID, type ChunkTaskConfig } from './chunk-config.js';
import { OUTSIDE, chunksToTags, tagsToChunks } from './chunk-tags.js';
import { CHUNKS_LAYER, type Chunk } from './chunks-layer.js';

/**
 * Chunking as BIO tagging: a linear layer + softmax over each word vector, trained with token
 * cross-entropy on IOB2 tags of the `chunks` layer, decoded into chunks. The tag set is `O`
 * plus `B-X`, `I-X` for every chunk type of the training split, in order of first appearance.
 */
export class ChunkTagger implements TaskHead<Chunk[]> {
  readonly requires = [CHUNKS_LAYER] as const;
  private readonly tags: string[];
  private readonly tagIndex: Map<string, number>;
  private readonly weight: Variable;
  private readonly bias: Variable;

  constructor(
    private readonly tf: FactoryContext['tf'],
    private readonly config: ChunkTaskConfig,
    input: TaskHeadBuildInput,
    random: FactoryContext['random'],
  ) {
    this.tags = input.labels?.tags ? [...input.labels.tags] : tagSetOf(input.trainingSentences);
    if (this.tags.length < 3)
      throw new Error(
        `no training sentence carries the chunks layer; use a dataset that provides it, such as ${CONLL2000_DATASET_ID} (CoNLL-2000 files)`,
      );
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
      const width = encoded.wordMask.shape[1];
      let vectors = encoded.wordVectors;
      if (this.config.dropout > 0 && context)
        vectors = tf.dropout(
          vectors,
          this.config.dropout,
          undefined,
          context.random.nextSeed(),
        ) as typeof vectors;
      const gold: number[] = [];
      const weights: number[] = [];
      for (const sentence of sentences) {
        const tags = goldTagsOf(sentence);
        for (let i = 0; i < width; i++) {
          const index = i < tags.length ? this.tagIndex.get(tags[i] as string) : undefined;
          gold.push(index ?? 0);
          // Padding and chunk types unseen in training carry no loss.
          weights.push(index === undefined ? 0 : 1);
        }
      }
      const mask = tf.tensor1d(weights);
      const perWord = tf.losses.softmaxCrossEntropy(
        tf.oneHot(tf.tensor1d(gold, 'int32'), this.tags.length),
        this.logits(vectors),
        undefined,
        0,
        tf.Reduction.NONE,
      );
      return perWord.mul(mask).sum().div(mask.sum().maximum(1)) as Scalar;
    });
  }

  decode(encoded: EncoderOutput, sentences: readonly Sentence[]): Chunk[][] {
    const width = encoded.wordMask.shape[1];
    const scores = this.tf.tidy(() => this.tf.logSoftmax(this.logits(encoded.wordVectors)));
    const flat = scores.arraySync() as number[][];
    scores.dispose();
    return sentences.map((sentence, b) => {
      const words = flat.slice(b * width, b * width + sentence.words.length);
      const best =
        this.config.decoding === 'viterbi'
          ? decodeValidTags(words, this.tags)
          : words.map((row) => row.indexOf(Math.max(...row)));
      return tagsToChunks(best.map((t) => this.tags[t] as string));
    });
  }

  createMetric(): Metric<Sentence, Chunk[]> {
    return new ChunkF1();
  }

  annotate(sentence: Sentence, prediction: Chunk[]): Sentence {
    return { ...sentence, annotations: { ...sentence.annotations, [CHUNKS_LAYER]: prediction } };
  }

  labels(): LabelVocabularies {
    return { tags: [...this.tags] };
  }

  weights(): NamedTensorMap {
    return { 'classifier.weight': this.weight, 'classifier.bias': this.bias };
  }

  loadWeights(weights: NamedTensorMap): void {
    loadWeights('chunk head', this.weights(), weights, 'was it trained with another tag set?');
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

/** `O`, then `B-X`, `I-X` for each chunk type in order of first appearance (stable across runs). */
export function tagSetOf(sentences: readonly Sentence[]): string[] {
  const types = new Set<string>();
  for (const sentence of sentences)
    for (const chunk of sentence.annotations.chunks ?? []) types.add(chunk.label);
  return [OUTSIDE, ...[...types].flatMap((type) => [`B-${type}`, `I-${type}`])];
}

/** The IOB2 tags of a sentence's gold chunks; a bad chunk is reported with the sentence id. */
function goldTagsOf(sentence: Sentence): string[] {
  try {
    return chunksToTags(sentence.annotations.chunks ?? [], sentence.words.length);
  } catch (error) {
    throw new Error(`sentence ${sentence.id}: ${(error as Error).message}`);
  }
}
