import {
  applyDense,
  biaffineScores,
  denseLayer,
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
  type Tensor3D,
  type TrainingContext,
  type TreeNode,
  type Variable,
  type DenseLayer,
  type Tensor,
} from '@stem/core';
import { cky } from './cky.js';
import type { ConConfig } from './con-config.js';
import {
  goldBrackets,
  parserTree,
  treeFromBrackets,
  treeLeaves,
  type LabelledBracket,
} from './labelled-brackets.js';
import { labelBiaffineScores } from './label-biaffine.js';
import { LabelledBracketF1 } from './labelled-bracket-f1.js';
import { SpanLabels } from './span-labels.js';
import { spanMarginals } from './tree-crf.js';
import { treeCrfLogPartition } from './tree-crf-op.js';

type TensorFlow = FactoryContext['tf'];

/** Tag written on pre-terminals when the sentence carries neither a tree nor POS tags. */
export const UNKNOWN_TAG = 'XX';

/** One MLP layer: linear, LeakyReLU(0.1), dropout in training. */
type Mlp = DenseLayer;

/**
 * Constituency parsing as in He & Choi (2021, "The Stem Cell Hypothesis", section 3, task
 * decoders): the two-stage TreeCRF of Zhang, Zhou & Li (2020), biaffine scorers after Dozat &
 * Manning (2017).
 *
 * Fenceposts: the sequence [CLS] w_0 .. w_{n-1} [SEP] (rootVector, word vectors, eosVector) is
 * s_0 .. s_{n+1}; each vector is split into a forward half f and a backward half b, and
 * fencepost k (k = 0..n, between words k-1 and k) is x_k = [f(s_k) ; b(s_{k+1})]. The span
 * (i, j) covers words i..j-1 and is scored from fenceposts i and j:
 *   s(i, j) = [l_i ; 1]^T U r_j           (l, r: span MLPs, LeakyReLU 0.1)
 *   s(i, j, c) = [l'_i ; 1]^T U_c [r'_j ; 1]   (l', r': label MLPs)
 * Loss = (sum log Z - sum gold tree score) / words + cross-entropy of gold span labels, where
 * log Z comes from the inside algorithm run outside the tape (`tree-crf.ts`) with the span
 * marginals as its exact gradient (`tf.customGrad`). Decoding: span marginals, CKY for the
 * tree with the largest summed marginal (MBR), the best allowed label per span, de-binarised.
 */
export class CrfSpanParser implements TaskHead<TreeNode> {
  readonly requires = ['con'] as const;
  private readonly spanLabels: SpanLabels;
  private readonly spanLeft: Mlp;
  private readonly spanRight: Mlp;
  private readonly labelLeft: Mlp;
  private readonly labelRight: Mlp;
  /** [spanMlpSize + 1, spanMlpSize] */
  private readonly spanBiaffine: Variable;
  /** [labels, labelMlpSize + 1, labelMlpSize + 1] */
  private readonly labelBiaffine: Variable;
  private readonly goldCache = new WeakMap<Sentence, LabelledBracket[]>();

  constructor(
    private readonly tf: TensorFlow,
    private readonly config: ConConfig,
    input: TaskHeadBuildInput,
    random: FactoryContext['random'],
  ) {
    this.spanLabels = input.labels
      ? SpanLabels.fromVocabularies(input.labels)
      : SpanLabels.collect(input.trainingSentences, (s) => this.goldOf(s));
    if (this.spanLabels.all.length < 2)
      throw new Error(
        'CON head: no constituency trees in the training sentences: is this a corpus with a "con" layer?',
      );
    const hidden = input.hiddenSize;
    const mlp = (inputSize: number, outputSize: number): Mlp =>
      denseLayer(tf, random, inputSize, outputSize);
    this.spanLeft = mlp(hidden, config.spanMlpSize);
    this.spanRight = mlp(hidden, config.spanMlpSize);
    this.labelLeft = mlp(hidden, config.labelMlpSize);
    this.labelRight = mlp(hidden, config.labelMlpSize);
    // Biaffine weights start at zero (as in the reference implementation): every tree and
    // every label equally likely until training says otherwise.
    this.spanBiaffine = tf.variable(tf.zeros([config.spanMlpSize + 1, config.spanMlpSize]));
    this.labelBiaffine = tf.variable(
      tf.zeros([this.spanLabels.all.length, config.labelMlpSize + 1, config.labelMlpSize + 1]),
    );
  }

  trainableVariables(): Variable[] {
    return Object.values(this.weights()) as Variable[];
  }

  loss(encoded: EncoderOutput, sentences: readonly Sentence[], context?: TrainingContext): Scalar {
    const tf = this.tf;
    return tf.tidy(() => {
      const size = encoded.wordMask.shape[1] + 1;
      const batch = sentences.length;
      const counts = this.wordCounts(encoded, sentences);
      const features = this.features(encoded, counts, context);
      const scores = this.spanScores(features);
      // Gold trees as a dense 0/1 chart (a product, not a gather: cheap to differentiate).
      const goldChart = new Float32Array(batch * size * size);
      const present = new Float32Array(batch);
      const starts: number[] = [];
      const ends: number[] = [];
      const labels: number[] = [];
      const labelWeights: number[] = [];
      let words = 0;
      sentences.forEach((sentence, b) => {
        const gold = this.goldOf(sentence);
        if (!gold) return;
        present[b] = 1;
        words += counts[b]!;
        for (const bracket of gold) {
          goldChart[b * size * size + bracket.start * size + bracket.end] = 1;
          const label = this.spanLabels.indexOf(bracket.label);
          starts.push(b * size + bracket.start);
          ends.push(b * size + bracket.end);
          labels.push(label ?? 0);
          // Labels unseen in training carry no loss.
          labelWeights.push(label === undefined ? 0 : 1);
        }
      });
      if (words === 0) return tf.scalar(0);
      const logPartition = treeCrfLogPartition(tf, scores, counts);
      const goldScore = scores.mul(tf.tensor3d(goldChart, [batch, size, size])).sum();
      const spanLoss = logPartition.mul(tf.tensor1d(present)).sum().sub(goldScore).div(words);
      const labelScores = this.labelScores(features, starts, ends);
      const weights = tf.tensor1d(labelWeights);
      const perSpan = tf.losses.softmaxCrossEntropy(
        tf.oneHot(tf.tensor1d(labels, 'int32'), this.spanLabels.all.length),
        labelScores,
        undefined,
        0,
        tf.Reduction.NONE,
      );
      const labelLoss = perSpan.mul(weights).sum().div(weights.sum().maximum(1));
      return spanLoss.add(labelLoss) as Scalar;
    }) as Scalar;
  }

  decode(encoded: EncoderOutput, sentences: readonly Sentence[]): TreeNode[] {
    const tf = this.tf;
    const size = encoded.wordMask.shape[1] + 1;
    const counts = this.wordCounts(encoded, sentences);
    const spans: Array<Array<{ start: number; end: number }>> = [];
    const labelScores = tf.tidy(() => {
      const features = this.features(encoded, counts, undefined);
      const chart = this.spanScores(features).dataSync();
      const starts: number[] = [];
      const ends: number[] = [];
      counts.forEach((n, b) => {
        const offset = b * size * size;
        const { marginals } = spanMarginals({ n, values: chart, stride: size, offset });
        const tree = cky({ n, values: marginals }).spans;
        spans.push(tree);
        for (const span of tree) {
          starts.push(b * size + span.start);
          ends.push(b * size + span.end);
        }
      });
      return this.labelScores(features, starts, ends);
    });
    const values = labelScores.dataSync();
    labelScores.dispose();
    const labelCount = this.spanLabels.all.length;
    let row = 0;
    return sentences.map((sentence, b) => {
      const n = counts[b]!;
      const brackets = spans[b]!.map((span) => ({
        ...span,
        label: this.spanLabels.best(
          values,
          row++ * labelCount,
          span.end - span.start,
          span.start === 0 && span.end === n,
        ),
      }));
      return treeFromBrackets(brackets, leavesOf(sentence));
    });
  }

  createMetric(): Metric<Sentence, TreeNode> {
    return new LabelledBracketF1();
  }

  annotate(sentence: Sentence, prediction: TreeNode): Sentence {
    return { ...sentence, annotations: { ...sentence.annotations, con: prediction } };
  }

  labels(): LabelVocabularies {
    return this.spanLabels.vocabularies();
  }

  weights(): NamedTensorMap {
    return {
      'span.left.weight': this.spanLeft.weight,
      'span.left.bias': this.spanLeft.bias,
      'span.right.weight': this.spanRight.weight,
      'span.right.bias': this.spanRight.bias,
      'span.biaffine': this.spanBiaffine,
      'label.left.weight': this.labelLeft.weight,
      'label.left.bias': this.labelLeft.bias,
      'label.right.weight': this.labelRight.weight,
      'label.right.bias': this.labelRight.bias,
      'label.biaffine': this.labelBiaffine,
    };
  }

  loadWeights(weights: NamedTensorMap): void {
    loadWeights(
      'CON head',
      this.weights(),
      weights,
      'was it trained with other MLP sizes or another label set?',
    );
  }

  dispose(): void {
    this.tf.dispose(Object.values(this.weights()));
  }

  /** The binarised gold bracketing, or undefined without a usable tree; checks word counts. */
  private goldOf(sentence: Sentence): LabelledBracket[] | undefined {
    const cached = this.goldCache.get(sentence);
    if (cached) return cached;
    const tree = sentence.annotations.con && parserTree(sentence.annotations.con);
    if (!tree) return undefined;
    const brackets = goldBrackets(tree);
    const words = brackets[0]!.end;
    if (words !== sentence.words.length)
      throw new Error(
        `CON head: sentence ${sentence.id} has ${sentence.words.length} words but its tree (without empty elements) has ${words}: the "con" layer must cover exactly the sentence's words`,
      );
    this.goldCache.set(sentence, brackets);
    return brackets;
  }

  private wordCounts(encoded: EncoderOutput, sentences: readonly Sentence[]): number[] {
    const maxWords = encoded.wordMask.shape[1];
    return sentences.map((sentence) => {
      const n = sentence.words.length;
      if (n < 1 || n > maxWords)
        throw new Error(
          `CON head: sentence ${sentence.id} has ${n} words, the encoder output has room for ${maxWords}`,
        );
      return n;
    });
  }

  /** Fenceposts through the four MLPs: [batch, words + 1, size] each. */
  private features(
    encoded: EncoderOutput,
    counts: readonly number[],
    context: TrainingContext | undefined,
  ): { spanLeft: Tensor3D; spanRight: Tensor3D; labelLeft: Tensor3D; labelRight: Tensor3D } {
    const tf = this.tf;
    const x = fenceposts(tf, encoded, counts);
    const apply = (mlp: Mlp): Tensor3D => {
      const [batch, positions, hidden] = x.shape;
      let out: Tensor = applyDense(
        tf,
        x.reshape([batch * positions, hidden]),
        mlp,
        (preactivation) => tf.leakyRelu(preactivation, 0.1),
      );
      if (context && this.config.mlpDropout > 0)
        out = tf.dropout(out, this.config.mlpDropout, undefined, context.random.nextSeed());
      return out.reshape([batch, positions, mlp.weight.shape[1] as number]) as Tensor3D;
    };
    return {
      spanLeft: apply(this.spanLeft),
      spanRight: apply(this.spanRight),
      labelLeft: apply(this.labelLeft),
      labelRight: apply(this.labelRight),
    };
  }

  /** s(i, j) = [l_i ; 1]^T U r_j: [batch, words + 1, words + 1]. */
  private spanScores(features: { spanLeft: Tensor3D; spanRight: Tensor3D }): Tensor3D {
    return biaffineScores(
      this.tf,
      features.spanLeft,
      features.spanRight,
      this.spanBiaffine as Tensor2D,
    );
  }

  /** s(i, j, c) for the listed spans (flat fencepost indices b * (words + 1) + k): [spans, labels]. */
  private labelScores(
    features: { labelLeft: Tensor3D; labelRight: Tensor3D },
    starts: readonly number[],
    ends: readonly number[],
  ): Tensor2D {
    return labelBiaffineScores(
      this.tf,
      features.labelLeft,
      features.labelRight,
      this.labelBiaffine as unknown as Tensor3D,
      starts,
      ends,
    );
  }
}

/**
 * [batch, words + 1, hidden]: fencepost k = [forward half of s_k ; backward half of s_{k+1}]
 * over s = [CLS] w_0 .. w_{n-1} [SEP], the [SEP] placed right after each sentence's last word.
 */
export function fenceposts(
  tf: TensorFlow,
  encoded: EncoderOutput,
  counts: readonly number[],
): Tensor3D {
  const [batch, words, hidden] = encoded.wordVectors.shape;
  const eosAt = new Float32Array(batch * (words + 2));
  counts.forEach((n, b) => {
    eosAt[b * (words + 2) + n + 1] = 1;
  });
  const eosMask = tf.tensor2d(eosAt, [batch, words + 2]).expandDims(2);
  const sequence = tf
    .concat(
      [encoded.rootVector.expandDims(1), encoded.wordVectors, tf.zeros([batch, 1, hidden])],
      1,
    )
    .mul(tf.scalar(1).sub(eosMask))
    .add(eosMask.mul(encoded.eosVector.expandDims(1)));
  const half = Math.floor(hidden / 2);
  const forward = sequence.slice([0, 0, 0], [batch, words + 1, half]);
  const backward = sequence.slice([0, 1, half], [batch, words + 1, hidden - half]);
  return tf.concat([forward, backward], 2) as Tensor3D;
}

/**
 * Pre-terminals for a decoded tree: the sentence's own tree's tags when it has one covering
 * its words (as EVALB needs the gold tags to delete punctuation alike), else its POS layer,
 * else UNKNOWN_TAG.
 */
export function leavesOf(sentence: Sentence): TreeNode[] {
  const tree = sentence.annotations.con && parserTree(sentence.annotations.con);
  const fromTree = tree ? treeLeaves(tree) : [];
  const tags =
    fromTree.length === sentence.words.length
      ? fromTree.map((leaf) => leaf.label)
      : sentence.annotations.pos?.length === sentence.words.length
        ? sentence.annotations.pos
        : sentence.words.map(() => UNKNOWN_TAG);
  return sentence.words.map((word, i) => ({ label: tags[i]!, children: [], word }));
}
