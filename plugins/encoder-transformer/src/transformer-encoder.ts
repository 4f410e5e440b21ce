import type {
  EncodeOptions,
  Encoder,
  EncoderOutput,
  EncoderSaveOptions,
  EncoderVocabulary,
  RawTensor,
  SafetensorsCodec,
  EncoderShape,
  NamedTensorMap,
  SubwordPooling,
  Tensor,
  Tensor2D,
  Tensor3D,
  TensorFlow,
  TokenizedBatch,
  Variable,
} from '@stem/core';
import { planWindows } from './encoding/sliding-window.js';
import { stitchAttention, stitchHeadContexts } from './encoding/stitch-windows.js';
import { applyWordDropout } from './encoding/word-dropout.js';
import { poolWords } from './encoding/word-pooling.js';
import { EncoderError } from './errors.js';
import { readArchitecture, readWeights, writeCheckpoint } from './io/checkpoint.js';
import { type Architecture, maxSequenceLength, parameterCount } from './model/architecture.js';
import { ParameterStore } from './model/parameters.js';
import { type ForwardOutput, type SubwordInput, forwardTransformer } from './model/transformer.js';
import type { RandomSource } from './random.js';
import { SubwordTokenizer } from './tokenization/subword-tokenizer.js';

export interface TransformerEncoderOptions {
  /** Core's safetensors codec (the registration facade's `safetensors`): reads and writes model.safetensors. */
  safetensors: SafetensorsCodec;
  pooling?: SubwordPooling;
  /** Probability of replacing a sub-word by [MASK] in training. */
  wordDropout?: number;
  trainable?: boolean;
}

/** A BERT/RoBERTa/ELECTRA encoder implementing stem's Encoder contract. */
export class TransformerEncoder implements Encoder {
  readonly shape: EncoderShape;
  /** config.json as loaded: fields stem does not model (bos/eos ids, ...) are written back on save. */
  private sourceConfig: Record<string, unknown> = {};
  private readonly pooling: SubwordPooling;
  private readonly wordDropout: number;
  private readonly specialIds: ReadonlySet<number>;
  private readonly safetensors: SafetensorsCodec;

  constructor(
    private readonly tf: TensorFlow,
    readonly architecture: Architecture,
    readonly params: ParameterStore,
    readonly tokenizer: SubwordTokenizer,
    /** Where the tokenizer files come from (copied on save). */
    private readonly tokenizerDirectory: string,
    private readonly random: RandomSource,
    options: TransformerEncoderOptions,
  ) {
    this.safetensors = options.safetensors;
    this.shape = {
      layers: architecture.layers,
      heads: architecture.heads,
      hiddenSize: architecture.hiddenSize,
      maxPositions: maxSequenceLength(architecture),
    };
    this.pooling = options.pooling ?? 'mean';
    this.wordDropout = options.wordDropout ?? 0;
    const s = tokenizer.specials;
    this.specialIds = new Set([s.cls, s.sep, s.pad]);
    if (tokenizer.vocabSize > architecture.vocabSize) {
      throw new EncoderError(
        `the tokenizer has ${tokenizer.vocabSize} tokens but the model's vocab_size is ${architecture.vocabSize}`,
      );
    }
  }

  /** Loads config.json, model.safetensors and the tokenizer from a Hugging Face directory. */
  static async load(
    tf: TensorFlow,
    directory: string,
    random: RandomSource,
    options: TransformerEncoderOptions & { randomWeights?: boolean },
  ): Promise<TransformerEncoder> {
    const { architecture, config } = await readArchitecture(directory);
    const tokenizer = await SubwordTokenizer.fromDirectory(directory);
    const params = options.randomWeights
      ? ParameterStore.random(
          tf,
          architecture,
          () => random.next(),
          0.02,
          options.trainable ?? true,
        )
      : ParameterStore.fromHf(
          tf,
          await readWeights(directory, architecture, options.safetensors),
          options.trainable ?? true,
        );
    const encoder = new TransformerEncoder(
      tf,
      architecture,
      params,
      tokenizer,
      directory,
      random,
      options,
    );
    encoder.sourceConfig = config;
    return encoder;
  }

  /** Random weights for an architecture, with the tokenizer of `tokenizerDirectory`. */
  static async initialise(
    tf: TensorFlow,
    architecture: Architecture,
    tokenizerDirectory: string,
    random: RandomSource,
    options: TransformerEncoderOptions,
  ): Promise<TransformerEncoder> {
    const tokenizer = await SubwordTokenizer.fromDirectory(tokenizerDirectory);
    const params = ParameterStore.random(
      tf,
      architecture,
      () => random.next(),
      0.02,
      options.trainable ?? true,
    );
    return new TransformerEncoder(
      tf,
      architecture,
      params,
      tokenizer,
      tokenizerDirectory,
      random,
      options,
    );
  }

  tokenize(sentences: readonly (readonly string[])[]): Promise<TokenizedBatch> {
    return this.tokenizer.tokenize(sentences);
  }

  /** The transformer on sub-word rows as given (no windows, no pooling): parity tests and attention views. */
  encodeSubwords(
    input: SubwordInput,
    options: Omit<EncodeOptions, 'training'> & { training?: boolean } = {},
  ): ForwardOutput {
    const random: RandomSource = options.random ?? this.random;
    return forwardTransformer(this.tf, this.architecture, this.params, input, {
      ...(options.training ? { dropoutSeed: () => random.nextSeed() } : {}),
      ...(options.headGates ? { headGates: options.headGates } : {}),
      returnAttention: options.returnAttention ?? false,
      returnHeadContexts: options.returnHeadContexts ?? false,
    });
  }

  encode(batch: TokenizedBatch, options: EncodeOptions): EncoderOutput {
    // Only the outputs survive: every intermediate of the forward pass is released here,
    // whether or not the caller runs inside a gradient tape or a tidy of its own.
    return this.tf.tidy(
      () => this.encodeUntidied(batch, options) as unknown as Record<string, Tensor | Tensor[]>,
    ) as unknown as EncoderOutput;
  }

  private encodeUntidied(batch: TokenizedBatch, options: EncodeOptions): EncoderOutput {
    const tf = this.tf;
    const s = this.tokenizer.specials;
    const random: RandomSource = options.random ?? this.random;
    const ids = options.training
      ? applyWordDropout(batch.subwordIds, this.wordDropout, s.mask, this.specialIds, () =>
          random.next(),
        )
      : batch.subwordIds;
    const plan = planWindows(ids, maxSequenceLength(this.architecture), s.pad);
    let subwordStates: Tensor3D | undefined;
    const forward = this.encodeSubwords(plan.input, options);
    const hidden = this.architecture.hiddenSize;
    const length = plan.length;
    const flatRows = tf.reshape(forward.hidden, [-1, hidden]) as Tensor2D;
    const flat = plan.gatherIndex
      ? (tf.gather(flatRows, tf.tensor1d(plan.gatherIndex, 'int32')) as Tensor2D)
      : flatRows;
    const wordVectors = poolWords(tf, flat, length, batch.wordSpans, this.pooling);
    const words = wordVectors.shape[1];
    const wordMask = tf.tensor2d(
      batch.wordCounts.flatMap((count) =>
        Array.from({ length: words }, (_, w) => (w < count ? 1 : 0)),
      ),
      [batch.wordCounts.length, words],
      'float32',
    );
    if (options.returnSubwordStates)
      subwordStates = tf.reshape(flat, [batch.subwordIds.length, length, hidden]) as Tensor3D;
    const rootIndex = batch.subwordIds.map((_, b) => b * length);
    const eosIndex = batch.subwordIds.map((row, b) => b * length + row.length - 1);
    const out: EncoderOutput = {
      wordVectors: wordVectors as Tensor3D,
      wordMask,
      rootVector: tf.gather(flat, tf.tensor1d(rootIndex, 'int32')) as Tensor2D,
      eosVector: tf.gather(flat, tf.tensor1d(eosIndex, 'int32')) as Tensor2D,
    };
    if (subwordStates) out.subwordStates = subwordStates;
    const sentences = batch.subwordIds.length;
    if (forward.attention)
      out.attention = forward.attention.map((layer) => stitchAttention(tf, layer, plan, sentences));
    if (forward.headContexts)
      out.headContexts = forward.headContexts.map((layer) =>
        stitchHeadContexts(tf, layer, plan, sentences),
      );
    return out;
  }

  vocabulary(): EncoderVocabulary {
    return { size: this.tokenizer.vocabSize, specials: { ...this.tokenizer.specials } };
  }

  inputEmbeddings(): Variable {
    return this.params.get('embeddings.word_embeddings.weight');
  }

  trainableVariables(): Variable[] {
    return [...this.params.variables.values()].filter((v) => v.trainable);
  }

  weights(): NamedTensorMap {
    return Object.fromEntries(this.params.variables);
  }

  loadWeights(weights: NamedTensorMap): void {
    const problems: string[] = [];
    for (const [name, variable] of this.params.variables) {
      const tensor = weights[name];
      if (!tensor) problems.push(`missing tensor "${name}" (expected shape [${variable.shape}])`);
      else if (
        tensor.shape.length !== variable.shape.length ||
        tensor.shape.some((dim, i) => dim !== variable.shape[i])
      ) {
        problems.push(`tensor "${name}" has shape [${tensor.shape}], expected [${variable.shape}]`);
      }
    }
    for (const name of Object.keys(weights))
      if (!this.params.variables.has(name)) problems.push(`unexpected tensor "${name}"`);
    if (problems.length > 0)
      throw new EncoderError(
        `encoder weights do not match the model: ${problems.join('; ')}`,
        undefined,
        'MODEL_INVALID',
      );
    for (const [name, variable] of this.params.variables) variable.assign(weights[name] as Tensor);
  }

  parameterCount(): number {
    return parameterCount(this.architecture);
  }

  async save(directory: string, options: EncoderSaveOptions = {}): Promise<void> {
    const tensors: Map<string, RawTensor> = await this.params.toHf();
    for (const [name, tensor] of Object.entries(options.extraTensors ?? {})) {
      if (tensors.has(name))
        throw new EncoderError(`extra tensor "${name}" would overwrite the encoder's own`);
      tensors.set(name, { shape: [...tensor.shape], data: (await tensor.data()) as Float32Array });
    }
    await writeCheckpoint(directory, this.architecture, tensors, this.safetensors, {
      extraConfig: this.sourceConfig,
      float: options.dtype === 'float16' ? 'F16' : 'F32',
    });
    await this.tokenizer.save(directory, this.tokenizerDirectory);
  }

  dispose(): void {
    this.params.dispose();
  }
}
