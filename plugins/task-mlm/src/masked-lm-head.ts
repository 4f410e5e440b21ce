import {
  gelu,
  loadWeights,
  type BatchPreparationContext,
  type DecodeOptions,
  type EncoderOutput,
  type EncoderVocabulary,
  type FactoryContext,
  type LabelVocabularies,
  type NamedTensorMap,
  type PreparedBatch,
  type Scalar,
  type Sentence,
  type TaskHead,
  type TaskHeadBuildInput,
  type Tensor,
  type Tensor1D,
  type Tensor2D,
  type TokenizedBatch,
  type TrainingContext,
  type Variable,
} from '@stem/core';
import { maskRow, type MaskingOptions } from './masking.js';
import { MaskedLmMetric, type MaskedLmPrediction } from './masked-lm-metric.js';
import { isMaskedLmTargets, type MaskedLmTargets } from './masked-lm-targets.js';
import type { MlmConfig } from './mlm-config.js';

type TensorFlow = FactoryContext['tf'];
type Random = FactoryContext['random'];

/** Hugging Face names of BertForMaskedLM's head (`cls.predictions`). */
const NAMES = {
  denseWeight: 'cls.predictions.transform.dense.weight',
  denseBias: 'cls.predictions.transform.dense.bias',
  normWeight: 'cls.predictions.transform.LayerNorm.weight',
  normBias: 'cls.predictions.transform.LayerNorm.bias',
  outputBias: 'cls.predictions.bias',
} as const;

/**
 * BERT's masked-language-model head. `prepareBatch` masks the sub-word input (rate,
 * 80/10/10 by default, special tokens never); `loss` reads the last layer's sub-word states
 * at the masked positions, applies BERT's transform (dense, GELU, LayerNorm) and scores
 * every vocabulary token with the encoder's own word-embedding matrix (tied, not copied)
 * plus an output bias; cross-entropy over the masked positions. Needs no annotation, so
 * it trains on raw text.
 */
export class MaskedLanguageModelHead implements TaskHead<MaskedLmPrediction> {
  readonly requires = [] as const;
  readonly encodeOptions = { returnSubwordStates: true };
  private readonly embeddings: Variable;
  private readonly vocabulary: EncoderVocabulary;
  private readonly masking: MaskingOptions;
  private readonly variables: Record<keyof typeof NAMES, Variable>;

  constructor(
    private readonly tf: TensorFlow,
    private readonly config: MlmConfig,
    input: TaskHeadBuildInput,
    random: Random,
  ) {
    const encoder = input.encoder;
    if (!encoder?.inputEmbeddings || !encoder.vocabulary)
      throw new Error(
        'the masked-LM head needs an encoder that exposes its word embeddings and vocabulary (inputEmbeddings(), vocabulary()), e.g. stem.encoder.transformer.v1',
      );
    if (config.maskTokenShare + config.randomTokenShare > 1)
      throw new Error(
        `maskTokenShare (${config.maskTokenShare}) + randomTokenShare (${config.randomTokenShare}) exceed 1; the rest of the selected tokens is kept unchanged`,
      );
    this.embeddings = encoder.inputEmbeddings();
    this.vocabulary = encoder.vocabulary();
    const [rows, embeddingSize] = this.embeddings.shape as [number, number];
    const { cls, sep, pad, mask, unk } = this.vocabulary.specials;
    const specials = new Set([cls, sep, pad, mask]);
    this.masking = {
      rate: config.maskRate,
      maskShare: config.maskTokenShare,
      randomShare: config.randomTokenShare,
      maskId: mask,
      neverMasked: specials,
      vocabularySize: Math.min(this.vocabulary.size, rows),
      neverReplacement: new Set([...specials, ...(unk === undefined ? [] : [unk])]),
    };
    const hidden = input.hiddenSize;
    // BERT's initialisation: N(0, 0.02) weights, zero biases, unit LayerNorm.
    this.variables = {
      denseWeight: tf.variable(
        tf.tensor2d(normals(hidden * embeddingSize, 0.02, random), [hidden, embeddingSize]),
      ),
      denseBias: tf.variable(tf.zeros([embeddingSize])),
      normWeight: tf.variable(tf.ones([embeddingSize])),
      normBias: tf.variable(tf.zeros([embeddingSize])),
      outputBias: tf.variable(tf.zeros([rows])),
    };
  }

  trainableVariables(): Variable[] {
    // The tied embedding matrix belongs to the encoder (and its optimiser group).
    return Object.values(this.variables);
  }

  prepareBatch(
    tokens: TokenizedBatch,
    sentences: readonly Sentence[],
    context: BatchPreparationContext,
  ): PreparedBatch {
    const targets: MaskedLmTargets = { rows: [], positions: [], labels: [] };
    const subwordIds = tokens.subwordIds.map((ids, b) => {
      // Evaluation masks each sentence from its own id: the same masks whatever the batching.
      const random = context.training
        ? context.random
        : context.random.fork(`sentence/${sentences[b]?.id ?? b}`);
      const row = maskRow(ids, this.masking, random);
      for (let i = 0; i < row.positions.length; i++) {
        targets.rows.push(b);
        targets.positions.push(row.positions[i] as number);
        targets.labels.push(row.labels[i] as number);
      }
      return row.ids;
    });
    return { tokens: { ...tokens, subwordIds }, targets };
  }

  loss(encoded: EncoderOutput, _sentences: readonly Sentence[], context?: TrainingContext): Scalar {
    const targets = this.requireTargets(context?.targets, 'loss');
    const tf = this.tf;
    return tf.tidy(() => {
      // A batch without a masked position still needs a loss on the graph: weight 0.
      const empty = targets.labels.length === 0;
      const chosen = empty ? { rows: [0], positions: [0], labels: [0] } : targets;
      const logProbabilities = tf.logSoftmax(this.logitsAt(encoded, chosen));
      const gold = tf.sum(
        tf.mul(
          logProbabilities,
          tf.oneHot(tf.tensor1d(chosen.labels, 'int32'), logProbabilities.shape[1]),
        ),
        1,
      );
      const mean = tf.neg(tf.mean(gold));
      return (empty ? tf.mul(mean, 0) : mean) as Scalar;
    });
  }

  decode(
    encoded: EncoderOutput,
    sentences: readonly Sentence[],
    context?: DecodeOptions,
  ): MaskedLmPrediction[] {
    const predictions: MaskedLmPrediction[] = sentences.map(() => ({
      positions: [],
      gold: [],
      predicted: [],
      logLikelihoods: [],
    }));
    // Without masks (e.g. `stem predict`) there is nothing to predict.
    if (context?.targets === undefined) return predictions;
    const targets = this.requireTargets(context.targets, 'decode');
    if (targets.labels.length === 0) return predictions;
    const tf = this.tf;
    const [best, picked] = tf.tidy(() => {
      const logProbabilities = tf.logSoftmax(this.logitsAt(encoded, targets));
      const gold = tf.sum(
        tf.mul(
          logProbabilities,
          tf.oneHot(tf.tensor1d(targets.labels, 'int32'), logProbabilities.shape[1]),
        ),
        1,
      );
      return [tf.argMax(logProbabilities, 1), gold];
    });
    const bestIds = best.dataSync();
    const logLikelihoods = picked.dataSync();
    tf.dispose([best, picked]);
    targets.labels.forEach((label, i) => {
      const prediction = predictions[targets.rows[i] as number] as MaskedLmPrediction;
      prediction.positions.push(targets.positions[i] as number);
      prediction.gold.push(label);
      prediction.predicted.push(bestIds[i] as number);
      prediction.logLikelihoods.push(logLikelihoods[i] as number);
    });
    return predictions;
  }

  createMetric(): MaskedLmMetric {
    return new MaskedLmMetric();
  }

  /** Masked-LM predicts no annotation layer: the sentence is returned as it is. */
  annotate(sentence: Sentence): Sentence {
    return sentence;
  }

  labels(): LabelVocabularies {
    return {};
  }

  /** Checkpoint weights under their Hugging Face names; the dense weight is held [in, out]. */
  weights(): NamedTensorMap {
    return Object.fromEntries(
      (Object.keys(NAMES) as Array<keyof typeof NAMES>).map((key) => [
        NAMES[key],
        this.variables[key],
      ]),
    );
  }

  loadWeights(weights: NamedTensorMap): void {
    loadWeights('masked-LM head', this.weights(), weights, 'another encoder size or vocabulary?');
  }

  /** BertForMaskedLM's `cls.predictions.*` in PyTorch layout (the decoder weight is the tied embedding). */
  exportWeights(): NamedTensorMap {
    const tf = this.tf;
    const out: NamedTensorMap = {};
    for (const [key, name] of Object.entries(NAMES) as Array<[keyof typeof NAMES, string]>) {
      const variable = this.variables[key];
      out[name] = key === 'denseWeight' ? tf.transpose(variable) : tf.clone(variable);
    }
    return out;
  }

  /**
   * The inverse of `exportWeights`: `cls.predictions.*` of a Hugging Face BertForMaskedLM
   * (PyTorch layout), e.g. read from a model directory's model.safetensors.
   */
  importWeights(weights: NamedTensorMap): void {
    const dense = weights[NAMES.denseWeight];
    const held = dense ? this.tf.transpose(dense) : undefined;
    try {
      this.loadWeights({ ...weights, ...(held ? { [NAMES.denseWeight]: held } : {}) });
    } finally {
      held?.dispose();
    }
  }

  dispose(): void {
    this.tf.dispose(Object.values(this.variables));
  }

  /** [masked positions, vocabulary rows]: transform, then the tied projection plus bias. */
  private logitsAt(encoded: EncoderOutput, targets: MaskedLmTargets): Tensor2D {
    const tf = this.tf;
    const states = encoded.subwordStates;
    if (!states)
      throw new Error(
        'the encoder returned no sub-word states: it must honour EncodeOptions.returnSubwordStates',
      );
    const [batch, length, hidden] = states.shape;
    const index = targets.rows.map((b, i) => b * length + (targets.positions[i] as number));
    // A one-hot product rather than gather: gather's gradient (UnsortedSegmentSum) issues one
    // op per row on the pure-JS backend and has no wasm kernel of its own.
    const selection = tf.oneHot(tf.tensor1d(index, 'int32'), batch * length).toFloat() as Tensor2D;
    const selected = tf.matMul(selection, tf.reshape(states, [batch * length, hidden]) as Tensor2D);
    const v = this.variables;
    const dense = tf.add(tf.matMul(selected, v.denseWeight as Tensor as Tensor2D), v.denseBias);
    const activated = gelu(tf, dense);
    const { mean, variance } = tf.moments(activated, -1, true);
    const normalised = tf.add(
      tf.mul(
        tf.mul(tf.sub(activated, mean), tf.rsqrt(tf.add(variance, this.config.layerNormEps))),
        v.normWeight,
      ),
      v.normBias,
    ) as Tensor2D;
    // An explicit transpose keeps wasm on its plain (non-transposed) matMul kernel.
    const projected = tf.matMul(normalised, tf.transpose(this.embeddings) as Tensor2D);
    return tf.add(projected, v.outputBias as Tensor as Tensor1D) as Tensor2D;
  }

  private requireTargets(targets: unknown, where: string): MaskedLmTargets {
    if (!isMaskedLmTargets(targets))
      throw new Error(
        `masked-LM head: ${where}() got no masking targets; call prepareBatch() on the batch first and pass its targets (the stem trainer does)`,
      );
    return targets;
  }
}

/** N(0, std) draws from the seeded stream (Box-Muller). */
function normals(count: number, std: number, random: Random): Float32Array {
  const out = new Float32Array(count);
  for (let i = 0; i < count; i += 2) {
    const radius = Math.sqrt(-2 * Math.log(Math.max(random.next(), 1e-12))) * std;
    const angle = 2 * Math.PI * random.next();
    out[i] = radius * Math.cos(angle);
    if (i + 1 < count) out[i + 1] = radius * Math.sin(angle);
  }
  return out;
}
