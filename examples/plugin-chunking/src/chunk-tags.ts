import type { Chunk } from './chunks-layer.js';

/** The tag outside every chunk. */
export const OUTSIDE = 'O';

/** `B-NP` -> { prefix: 'B', type: 'NP' }; undefined for anything but O, B-X, I-X. */
export function parseChunkTag(tag: string): { prefix: 'B' | 'I' | 'O'; type: string } | undefined {
  if (tag === OUTSIDE) return { prefix: 'O', type: '' };
  const match = /^([BI])-(\S+)$/.exec(tag);
  return match ? { prefix: match[1] as 'B' | 'I', type: match[2] as string } : undefined;
}

/**
 * Chunks of a tag sequence, read as conlleval reads CoNLL-2000 output: a chunk starts at
 * `B-X`, and also at an `I-X` that does not continue a chunk of type X (after `O` or another
 * type), so a model's invalid sequences are scored the way the shared task scored them.
 */
export function tagsToChunks(tags: readonly string[]): Chunk[] {
  const chunks: Chunk[] = [];
  let open: Chunk | undefined;
  tags.forEach((tag, i) => {
    const parsed = parseChunkTag(tag);
    if (!parsed) throw new Error(`"${tag}" is not a chunk tag (expected O, B-<type> or I-<type>)`);
    const continues = parsed.prefix === 'I' && open !== undefined && open.label === parsed.type;
    if (continues) {
      (open as Chunk).end = i + 1;
      return;
    }
    open = parsed.prefix === 'O' ? undefined : { start: i, end: i + 1, label: parsed.type };
    if (open) chunks.push(open);
  });
  return chunks;
}

/** IOB2 tags of chunks over `length` words (every chunk begins with B-, as in CoNLL-2000). */
export function chunksToTags(chunks: readonly Chunk[], length: number): string[] {
  const tags = Array.from({ length }, () => OUTSIDE);
  for (const chunk of chunks) {
    if (chunk.start < 0 || chunk.end > length || chunk.end <= chunk.start)
      throw new Error(
        `chunk ${chunk.label} [${chunk.start}, ${chunk.end}) lies outside a sentence of ${length} words`,
      );
    for (let i = chunk.start; i < chunk.end; i++) {
      if (tags[i] !== OUTSIDE)
        throw new Error(`chunks overlap at word ${i + 1} (${tags[i]} and ${chunk.label})`);
      tags[i] = `${i === chunk.start ? 'B' : 'I'}-${chunk.label}`;
    }
  }
  return tags;
}
