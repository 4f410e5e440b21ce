import type { LabeledSpan, Sentence } from '@stem/core';

/**
 * The plugin's own annotation layer. Core types five layers; this augmentation adds a sixth
 * for everyone who imports this package, so `requires: ['chunks']`, a dataset's `layers` and
 * `sentence.annotations.chunks` are all typed. At run time core treats the key like its own.
 */
declare module '@stem/core' {
  interface Annotations {
    /** Non-overlapping chunks (NP, VP, PP, ...), half-open word spans in sentence order. */
    chunks: LabeledSpan[];
  }
}

export const CHUNKS_LAYER = 'chunks';

export type Chunk = LabeledSpan;

/** The sentence's chunks, or an error naming the sentence when it carries none. */
export function chunksOf(sentence: Sentence): Chunk[] {
  const chunks = sentence.annotations.chunks;
  if (!chunks) throw new Error(`sentence ${sentence.id} has no chunks layer`);
  return chunks;
}
