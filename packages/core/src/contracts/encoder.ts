import type { Tensor2D, Tensor3D, Tensor4D, Variable, NamedTensorMap } from './tensorflow.js';

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
  weights(): NamedTensorMap;
  dispose(): void;
}
