import type { Tensor3D, Tensor4D, TensorFlow, TokenizedBatch } from '@stem/core';

/** A probed unit of one sentence: a word, an entity span or a phrase, by word indices. */
export interface ContextItem {
  sentence: number;
  /** 0-based word indices the representation averages over. */
  words: readonly number[];
}

/**
 * Each item's representation in every head of one layer, [items, heads, headSize]: the mean
 * over the item's words of each word's mean over its sub-words (a word = its sub-words'
 * average context; a span = its words' average). One weight matrix, one batched product.
 */
export function poolItemContexts(
  tf: TensorFlow,
  contexts: Tensor4D,
  tokens: TokenizedBatch,
  items: readonly ContextItem[],
): Tensor3D {
  const [batch, heads, subwords, size] = contexts.shape;
  const perSentence = new Map<number, number>();
  const slots = items.map((item) => {
    const slot = perSentence.get(item.sentence) ?? 0;
    perSentence.set(item.sentence, slot + 1);
    return slot;
  });
  const width = Math.max(1, ...perSentence.values());
  const weights = new Float32Array(batch * width * subwords);
  items.forEach((item, i) => {
    const spans = tokens.wordSpans[item.sentence] ?? [];
    const row = (item.sentence * width + (slots[i] as number)) * subwords;
    for (const w of item.words) {
      const [first, last] = spans[w] as [number, number];
      const share = 1 / (item.words.length * (last - first + 1));
      for (let s = first; s <= last; s++) weights[row + s] = (weights[row + s] as number) + share;
    }
  });
  return tf.tidy(() => {
    // [batch, subwords, heads * size] so one product pools every head at once.
    const flat = tf.reshape(tf.transpose(contexts, [0, 2, 1, 3]), [batch, subwords, heads * size]);
    const pooled = tf.matMul(tf.tensor3d(weights, [batch, width, subwords]), flat);
    const rows = items.map((item, i) => item.sentence * width + (slots[i] as number));
    return tf.reshape(
      tf.gather(tf.reshape(pooled, [batch * width, heads * size]), tf.tensor1d(rows, 'int32')),
      [items.length, heads, size],
    ) as Tensor3D;
  });
}
