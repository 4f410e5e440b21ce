import {
  applyDense,
  biaffineScores,
  denseLayer,
  loadWeights,
  pairedBiaffineScores,
  type DecodeOptions,
  type DependencyTree,
  type EncoderOutput,
  type FactoryContext,
  type LabelVocabularies,
  type Metric,
  type NamedTensorMap,
  type Scalar,
  type Sentence,
  type TaskHead,
  type TaskHeadBuildInput,
  type Tensor,
  type Tensor2D,
  type Tensor3D,
  type TrainingContext,
  type Variable,
  type DenseLayer,
} from '@stem/core';
import { AttachmentScore } from './attachment-score.js';
import type { DepConfig } from './dep-config.js';
import { arcScores } from './decoding/arc-scores.js';
import { decodeTree, type Decoding } from './decoding/decode-tree.js';

type TensorFlow = FactoryContext['tf'];

/** Logit added to padding heads: their probability underflows to exactly 0. */
const MASKED = -1e9;

/** The four word views the parser scores with, each [batch, nodes, width]; node 0 is ROOT. */
interface WordViews {
  arcDependent: Tensor3D;
  arcHead: Tensor3D;
  labelDependent: Tensor3D;
  labelHead: Tensor3D;
}

/**
 * The biaffine dependency parser of Dozat & Manning (2017), as He & Choi (2021, "The Stem
 * Cell Hypothesis", the task decoders) use it: the
 * encoder's [CLS] vector (`rootVector`) is node 0 (ROOT) before the word vectors; four MLPs
 * (arc dependent / arc head, width `arcMlp`; label dependent / label head, width `labelMlp`)
 * with LeakyReLU and dropout; arc scores s(d, h) = [a_d; 1]^T U a_h over every candidate head;
 * label scores s(d, h, r) = [r_d; 1]^T U_r [r_h; 1]. Loss: cross-entropy of each word's head
 * over the real nodes plus cross-entropy of its relation at the gold head. Labels are only
 * ever scored at one head per word (gold in training, decoded at prediction), never over
 * all heads, which keeps memory at [words, relations, labelMlp].
 */
export class BiaffineParser implements TaskHead<DependencyTree> {
  readonly requires = ['dep'] as const;
  private readonly relations: string[];
  private readonly relationIndex: Map<string, number>;
  private readonly arcDependentMlp: DenseLayer;
  private readonly arcHeadMlp: DenseLayer;
  private readonly labelDependentMlp: DenseLayer;
  private readonly labelHeadMlp: DenseLayer;
  /** U of the arc biaffine: [arcMlp + 1, arcMlp]. */
  private readonly arcBiaffine: Variable;
  /** U_r of the label biaffine, all relations: [relations, labelMlp + 1, labelMlp + 1]. */
  private readonly labelBiaffine: Variable;

  constructor(
    private readonly tf: TensorFlow,
    private readonly config: DepConfig,
    input: TaskHeadBuildInput,
    random: FactoryContext['random'],
  ) {
    this.relations = input.labels?.relations
      ? [...input.labels.relations]
      : collectRelations(input.trainingSentences);
    if (this.relations.length === 0) {
      throw new Error(
        'no dependency relations in the training sentences: is this a corpus with a dep layer (heads and relations)?',
      );
    }
    this.relationIndex = new Map(this.relations.map((relation, i) => [relation, i]));
    // One MLP layer each (linear, LeakyReLU, dropout in training), Glorot-uniform.
    const mlp = (width: number): DenseLayer => denseLayer(tf, random, input.hiddenSize, width);
    this.arcDependentMlp = mlp(config.arcMlp);
    this.arcHeadMlp = mlp(config.arcMlp);
    this.labelDependentMlp = mlp(config.labelMlp);
    this.labelHeadMlp = mlp(config.labelMlp);
    // Zero biaffine weights, as in the original: every head and label starts equally likely.
    this.arcBiaffine = tf.variable(tf.zeros([config.arcMlp + 1, config.arcMlp]));
    this.labelBiaffine = tf.variable(
      tf.zeros([this.relations.length, config.labelMlp + 1, config.labelMlp + 1]),
    );
  }

  trainableVariables(): Variable[] {
    return Object.values(this.weights()) as Variable[];
  }

  loss(encoded: EncoderOutput, sentences: readonly Sentence[], context?: TrainingContext): Scalar {
    const tf = this.tf;
    return tf.tidy(() => {
      const [batch, words] = encoded.wordMask.shape;
      const views = this.wordViews(encoded, context);
      const goldHeads: number[] = [];
      const goldRelations: number[] = [];
      const wordWeights: number[] = [];
      const relationWeights: number[] = [];
      for (let b = 0; b < batch; b++) {
        const tree = sentences[b]?.annotations.dep;
        for (let i = 0; i < words; i++) {
          const real = tree !== undefined && i < tree.heads.length;
          const relation = real ? this.relationIndex.get(tree.relations[i] as string) : undefined;
          goldHeads.push(real ? (tree.heads[i] as number) : 0);
          goldRelations.push(relation ?? 0);
          wordWeights.push(real ? 1 : 0);
          // Relations unseen in training carry no label loss; their arcs still count.
          relationWeights.push(relation === undefined ? 0 : 1);
        }
      }
      const heads = tf
        .oneHot(tf.tensor1d(goldHeads, 'int32'), words + 1)
        .reshape([batch, words, words + 1]) as Tensor3D;
      const arcLogProbabilities = this.arcLogProbabilities(views, encoded.wordMask);
      const arcLoss = arcLogProbabilities
        .mul(heads)
        .sum(-1)
        .neg()
        .reshape([batch * words]);
      const labelLogits = this.labelLogits(views, heads);
      const labelLoss = tf.losses.softmaxCrossEntropy(
        tf.oneHot(tf.tensor1d(goldRelations, 'int32'), this.relations.length),
        labelLogits,
        undefined,
        0,
        tf.Reduction.NONE,
      );
      const wordMask = tf.tensor1d(wordWeights);
      const total = arcLoss
        .mul(wordMask)
        .sum()
        .add(labelLoss.mul(tf.tensor1d(relationWeights)).sum());
      return total.div(wordMask.sum().maximum(1)) as Scalar;
    });
  }

  decode(
    encoded: EncoderOutput,
    sentences: readonly Sentence[],
    options?: DecodeOptions,
  ): DependencyTree[] {
    const tf = this.tf;
    const [batch, words] = encoded.wordMask.shape;
    const decoding = this.decodingFor(options?.purpose ?? 'dev');
    const [logProbabilities, labelDependent, labelHead] = tf.tidy(() => {
      const views = this.wordViews(encoded);
      return [
        this.arcLogProbabilities(views, encoded.wordMask),
        views.labelDependent,
        views.labelHead,
      ];
    });
    const values = logProbabilities.dataSync();
    logProbabilities.dispose();
    const nodes = words + 1;
    const heads = sentences.map((sentence, b) => {
      const n = sentence.words.length;
      const size = n + 1;
      const scores = new Float64Array(size * size);
      for (let d = 1; d <= n; d++) {
        const row = (b * words + d - 1) * nodes;
        for (let h = 0; h <= n; h++) scores[d * size + h] = values[row + h] as number;
      }
      return decodeTree(arcScores(n, scores), decoding);
    });
    const best = tf.tidy(() => {
      const chosen = tf.oneHot(
        tf.tensor1d(
          heads.flatMap((sentenceHeads) =>
            Array.from({ length: words }, (_, i) => sentenceHeads[i] ?? 0),
          ),
          'int32',
        ),
        nodes,
      );
      const views = { labelDependent, labelHead } as WordViews;
      return this.labelLogits(views, chosen.reshape([batch, words, nodes]) as Tensor3D).argMax(-1);
    });
    const labels = best.dataSync();
    tf.dispose([best, labelDependent, labelHead]);
    return heads.map((sentenceHeads, b) => ({
      heads: sentenceHeads,
      relations: sentenceHeads.map(
        (_, i) => this.relations[labels[b * words + i] as number] as string,
      ),
    }));
  }

  createMetric(): Metric<Sentence, DependencyTree> {
    return new AttachmentScore();
  }

  annotate(sentence: Sentence, prediction: DependencyTree): Sentence {
    return { ...sentence, annotations: { ...sentence.annotations, dep: prediction } };
  }

  labels(): LabelVocabularies {
    return { relations: [...this.relations] };
  }

  weights(): NamedTensorMap {
    return {
      'arc_dependent.weight': this.arcDependentMlp.weight,
      'arc_dependent.bias': this.arcDependentMlp.bias,
      'arc_head.weight': this.arcHeadMlp.weight,
      'arc_head.bias': this.arcHeadMlp.bias,
      'label_dependent.weight': this.labelDependentMlp.weight,
      'label_dependent.bias': this.labelDependentMlp.bias,
      'label_head.weight': this.labelHeadMlp.weight,
      'label_head.bias': this.labelHeadMlp.bias,
      'arc_biaffine.weight': this.arcBiaffine,
      'label_biaffine.weight': this.labelBiaffine,
    };
  }

  loadWeights(weights: NamedTensorMap): void {
    loadWeights(
      'DEP head',
      this.weights(),
      weights,
      'was it trained with other arcMlp / labelMlp sizes or another relation set?',
    );
  }

  dispose(): void {
    for (const variable of this.trainableVariables()) variable.dispose();
  }

  private decodingFor(purpose: NonNullable<DecodeOptions['purpose']>): Decoding {
    const { decoder, treeFallback, testDecoder, testTreeFallback } = this.config;
    if (purpose === 'dev') return { decoder, treeFallback };
    return { decoder: testDecoder ?? decoder, treeFallback: testTreeFallback ?? treeFallback };
  }

  /** ROOT ([CLS]) then the words through the four MLPs; dropout only with a training context. */
  private wordViews(encoded: EncoderOutput, context?: TrainingContext): WordViews {
    const tf = this.tf;
    const [batch, , hidden] = encoded.wordVectors.shape;
    const nodes = tf.concat(
      [encoded.rootVector.reshape([batch, 1, hidden]), encoded.wordVectors],
      1,
    ) as Tensor3D;
    const count = nodes.shape[1];
    const flat = nodes.reshape([batch * count, hidden]) as Tensor2D;
    const view = (mlp: DenseLayer): Tensor3D => {
      const width = mlp.weight.shape[1] as number;
      let out: Tensor = applyDense(tf, flat, mlp, (x) =>
        tf.leakyRelu(x, this.config.negativeSlope),
      ).reshape([batch, count, width]);
      if (context && this.config.dropout > 0) {
        // One mask per sentence and feature, shared by its words (SharedDropout in the original).
        out = tf.dropout(out, this.config.dropout, [batch, 1, width], context.random.nextSeed());
      }
      return out as Tensor3D;
    };
    return {
      arcDependent: view(this.arcDependentMlp),
      arcHead: view(this.arcHeadMlp),
      labelDependent: view(this.labelDependentMlp),
      labelHead: view(this.labelHeadMlp),
    };
  }

  /**
   * [batch, words, nodes]: log-probability of each head (node 0 = ROOT) for each word;
   * padding nodes get probability 0. A word may score itself as head here; decoders skip it.
   */
  private arcLogProbabilities(views: WordViews, wordMask: Tensor2D): Tensor3D {
    const tf = this.tf;
    const [batch, nodes, width] = views.arcDependent.shape;
    const dependents = views.arcDependent.slice([0, 1, 0], [batch, nodes - 1, width]);
    // [batch, words, nodes]
    const scores = biaffineScores(tf, dependents, views.arcHead, this.arcBiaffine as Tensor2D);
    const headMask = tf.concat([tf.ones([batch, 1]), wordMask], 1).reshape([batch, 1, nodes]);
    const masked = scores.add(tf.scalar(1).sub(headMask).mul(MASKED));
    return tf.logSoftmax(masked) as Tensor3D;
  }

  /** [batch * words, relations]: label scores of each word at the head picked by `heads` (one-hot [batch, words, nodes]). */
  private labelLogits(
    views: Pick<WordViews, 'labelDependent' | 'labelHead'>,
    heads: Tensor3D,
  ): Tensor2D {
    const tf = this.tf;
    const [batch, nodes, width] = views.labelDependent.shape;
    const words = nodes - 1;
    const dependents = views.labelDependent
      .slice([0, 1, 0], [batch, words, width])
      .reshape([batch * words, width]) as Tensor2D;
    // The chosen head's view per word.
    const headVectors = tf
      .matMul(heads, views.labelHead)
      .reshape([batch * words, width]) as Tensor2D;
    return pairedBiaffineScores(tf, dependents, headVectors, this.labelBiaffine as Tensor3D);
  }
}

/** Relations in order of first appearance in the training split (stable across runs). */
function collectRelations(sentences: readonly Sentence[]): string[] {
  const seen = new Set<string>();
  for (const sentence of sentences)
    for (const relation of sentence.annotations.dep?.relations ?? []) seen.add(relation);
  return [...seen];
}
