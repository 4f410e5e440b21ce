import type { Encoder, SafetensorsCodec, TensorFlow } from '@stem/core';
import { poolAttentionToWords } from '../attention/word-attention.js';
import { EncoderError } from '../errors.js';
import { seededSource } from '../random.js';
import { TransformerEncoder } from '../transformer-encoder.js';

export interface HeadAttention {
  layer: number;
  head: number;
  /** [query][key] over `units` (ROOT then the words). */
  attention: number[][];
}

export interface WordAttentionView {
  /** `<root>` ([CLS]) followed by the words. */
  units: string[];
  subwords: string[];
  heads: HeadAttention[];
}

/** One layer and/or one head (from 0); absent means all. */
export interface AttentionSelection {
  layer?: number;
  head?: number;
}

/**
 * Word-level attention of every head (or one layer/head) for one sentence, pooled as the
 * probes pool it. Layers and heads are numbered from 0. Sentences longer than the position
 * table go through the sliding window (a word's attention to words outside its window is 0).
 */
export async function wordAttentionView(
  tf: TensorFlow,
  directory: string,
  words: string[],
  select: AttentionSelection & { safetensors: SafetensorsCodec },
): Promise<WordAttentionView> {
  const encoder = await TransformerEncoder.load(tf, directory, seededSource(0), {
    trainable: false,
    safetensors: select.safetensors,
  });
  try {
    return await encoderWordAttention(tf, encoder, words, select);
  } finally {
    encoder.dispose();
  }
}

/**
 * The same view from an encoder already loaded (a trained run's, say): `stem model attend` and
 * `stem view` share it. Sub-words are named by the encoder's tokenizer when it exposes one.
 */
export async function encoderWordAttention(
  tf: TensorFlow,
  encoder: Encoder & { tokenizer?: { idToToken(id: number): string | undefined } },
  words: string[],
  select: AttentionSelection,
): Promise<WordAttentionView> {
  const { layers, heads } = encoder.shape;
  if (select.layer !== undefined && (select.layer < 0 || select.layer >= layers))
    throw new EncoderError(
      `--layer ${select.layer} is out of range: the model has layers 0..${layers - 1}`,
    );
  if (select.head !== undefined && (select.head < 0 || select.head >= heads))
    throw new EncoderError(
      `--head ${select.head} is out of range: the model has heads 0..${heads - 1}`,
    );
  const batch = await encoder.tokenize([words]);
  const ids = batch.subwordIds[0] as number[];
  const spans = batch.wordSpans[0] ?? [];
  // encode() windows long sentences and stitches their attention back to sentence positions.
  const probs = tf.tidy(() =>
    (encoder.encode(batch, { training: false, returnAttention: true }).attention ?? []).map(
      (layer) => layer.arraySync()[0] as number[][][],
    ),
  );
  const out: HeadAttention[] = [];
  probs.forEach((layer, l) => {
    if (select.layer !== undefined && select.layer !== l) return;
    layer.forEach((matrix, h) => {
      if (select.head !== undefined && select.head !== h) return;
      out.push({
        layer: l,
        head: h,
        attention: poolAttentionToWords(matrix.flat(), ids.length, spans),
      });
    });
  });
  return {
    units: ['<root>', ...words],
    subwords: ids.map((id) => encoder.tokenizer?.idToToken(id) ?? `#${id}`),
    heads: out,
  };
}
