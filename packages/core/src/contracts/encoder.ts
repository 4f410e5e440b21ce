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
  save(directory: string): Promise<void>;
  /** Weights by stable names (the Hugging Face names for transformer encoders). */
  weights(): NamedTensorMap;
  /** Restores weights saved from `weights()` (checkpoints); names the tensor on a mismatch. */
  loadWeights(weights: NamedTensorMap): void;
  dispose(): void;
}
