import type { Tensor2D, Tensor3D, Tensor4D, Variable, NamedTensorMap } from './tensorflow.js';
import type { SeededRandom } from '../random/seeded-random.js';

/** Sub-word view of a batch of pre-tokenised sentences. */
export interface TokenizedBatch {
  /** [batch][subwords] ids including the special tokens ([CLS] ... [SEP]). */
  subwordIds: number[][];
  /** wordSpans[b][w] = [first, last] sub-word positions (inclusive) of word w. */
  wordSpans: Array<Array<[number, number]>>;
  /** Number of words per sentence. */
  wordCounts: number[];
}

export type SubwordPooling = 'mean' | 'first' | 'last';

export interface EncodeOptions {
  training: boolean;
  /** [layers, heads] multipliers of each head's context vector; differentiable. */
  headGates?: Tensor2D;
  /** Return per-layer attention probabilities (for probes). */
  returnAttention?: boolean;
  /** Return per-layer, per-head context vectors (attention x V, before W_O). */
  returnHeadContexts?: boolean;
  /** Return the last layer's sub-word states before pooling (masked-LM heads). */
  returnSubwordStates?: boolean;
  /**
   * Randomness of this call (word dropout, dropout masks). The trainer passes a stream
   * derived from (seed, step), so a resumed run draws exactly what the original would have.
   * Without it the encoder uses its own seeded stream.
   */
  random?: SeededRandom;
}

export interface EncoderOutput {
  /** [batch, maxWords, hidden]: pooled word vectors, padded with zeros. */
  wordVectors: Tensor3D;
  /** [batch, maxWords]: 1 for real words, 0 for padding. */
  wordMask: Tensor2D;
  /** [batch, hidden]: the [CLS] vector, ROOT/BOS for parsers. */
  rootVector: Tensor2D;
  /** [batch, hidden]: the final [SEP] vector, EOS for constituency parsing. */
  eosVector: Tensor2D;
  /** Per layer [batch, heads, subwords, subwords], when asked for. */
  attention?: Tensor4D[];
  /** Per layer [batch, heads, subwords, headSize], when asked for. */
  headContexts?: Tensor4D[];
  /**
   * [batch, subwords, hidden]: last-layer sub-word states before pooling, when asked for.
   * Row b's first `subwordIds[b].length` positions are its tokens ([CLS] ... [SEP]); the
   * rest is padding with unspecified values.
   */
  subwordStates?: Tensor3D;
}

/** Ids of the special tokens an encoder inserts or substitutes. */
export interface SpecialTokenIds {
  cls: number;
  sep: number;
  pad: number;
  mask: number;
  unk?: number;
}

/** The sub-word vocabulary of an encoder, for heads that predict or replace sub-words. */
export interface EncoderVocabulary {
  /** Number of tokens the tokenizer can produce (ids 0 .. size - 1). */
  size: number;
  specials: SpecialTokenIds;
}

export interface EncoderSaveOptions {
  /** Floating-point type of the stored weights: float32 (default) or float16 (half the size). */
  dtype?: 'float32' | 'float16';
  /**
   * Tensors stored beside the encoder's own in the weights file, already in their Hugging
   * Face names and layout (e.g. a masked-LM head's `cls.predictions.*`).
   */
  extraTensors?: NamedTensorMap;
}

export interface EncoderShape {
  layers: number;
  heads: number;
  hiddenSize: number;
  maxPositions: number;
}

/** The shared trunk of every experiment. */
export interface Encoder {
  readonly shape: EncoderShape;
  /** Asynchronous because sub-word tokenizers are native libraries with async APIs. */
  tokenize(sentences: readonly (readonly string[])[]): Promise<TokenizedBatch>;
  encode(batch: TokenizedBatch, options: EncodeOptions): EncoderOutput;
  trainableVariables(): Variable[];
  /** Save in the Hugging Face layout (config.json, model.safetensors, tokenizer files). */
  save(directory: string, options?: EncoderSaveOptions): Promise<void>;
  /** Weights by stable names (the Hugging Face names for transformer encoders). */
  weights(): NamedTensorMap;
  /** Restores weights saved from `weights()` (checkpoints); names the tensor on a mismatch. */
  loadWeights(weights: NamedTensorMap): void;
  /** The sub-word vocabulary (size, special ids); optional for encoders without one. */
  vocabulary?(): EncoderVocabulary;
  /**
   * The word-embedding matrix [vocabulary rows, embedding size]: the trained variable itself
   * (not a copy), so a head can tie its output projection to it and its gradient reaches it.
   */
  inputEmbeddings?(): Variable;
  dispose(): void;
}
