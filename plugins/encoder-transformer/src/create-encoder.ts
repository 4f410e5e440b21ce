import type { SafetensorsCodec, TensorFlow } from '@stem/core';
import type { EncoderConfig } from './encoder-config.js';
import { type Architecture, architectureFromHf } from './model/architecture.js';
import type { RandomSource } from './random.js';
import { SubwordTokenizer } from './tokenization/subword-tokenizer.js';
import { TransformerEncoder } from './transformer-encoder.js';

/** Builds the encoder a config section describes. */
export async function createEncoder(
  config: EncoderConfig,
  tf: TensorFlow,
  random: RandomSource,
  safetensors: SafetensorsCodec,
): Promise<TransformerEncoder> {
  const options = {
    safetensors,
    pooling: config.pooling,
    wordDropout: config.wordDropout,
    trainable: config.trainable,
  };
  if (config.path !== undefined)
    return TransformerEncoder.load(tf, config.path, random, {
      ...options,
      randomWeights: config.weights === 'random',
    });
  const spec = config.architecture;
  if (!spec) throw new Error('unreachable: the schema requires path or architecture');
  const architecture = architectureFor(spec, await vocabularySize(spec.tokenizer));
  return TransformerEncoder.initialise(tf, architecture, spec.tokenizer, random, options);
}

export interface ArchitectureSpec {
  arch: Architecture['arch'];
  layers: number;
  heads: number;
  hidden: number;
  intermediate?: number | undefined;
  embedding?: number | undefined;
  maxPositions: number;
}

/** An architecture with Hugging Face's defaults for everything a spec leaves out. */
export function architectureFor(spec: ArchitectureSpec, vocabSize: number): Architecture {
  const roberta = spec.arch === 'roberta';
  return architectureFromHf({
    model_type: spec.arch,
    vocab_size: vocabSize,
    hidden_size: spec.hidden,
    embedding_size: spec.embedding ?? spec.hidden,
    num_hidden_layers: spec.layers,
    num_attention_heads: spec.heads,
    intermediate_size: spec.intermediate ?? 4 * spec.hidden,
    // RoBERTa's table starts at padding_idx + 1 = 2.
    max_position_embeddings: spec.maxPositions + (roberta ? 2 : 0),
    type_vocab_size: roberta ? 1 : 2,
    layer_norm_eps: roberta ? 1e-5 : 1e-12,
    pad_token_id: roberta ? 1 : 0,
  });
}

async function vocabularySize(directory: string): Promise<number> {
  return (await SubwordTokenizer.fromDirectory(directory)).vocabSize;
}
