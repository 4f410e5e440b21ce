import type { Sentence } from '@stem/core';
import { CHUNKS_LAYER } from './chunks-layer.js';
import { parseChunkTag, tagsToChunks } from './chunk-tags.js';

/**
 * A malformed line. Named like @stem/data's error, so `stem` reports it with the
 * `DATA_FORMAT` code; the plugin imports nothing from stem at run time.
 */
export class ChunkFormatError extends Error {
  readonly hint: string;
  constructor(
    readonly file: string,
    readonly line: number,
    problem: string,
  ) {
    super(`${file}:${line}: ${problem}`);
    this.name = 'DataFormatError';
    this.hint =
      'a CoNLL-2000 file has one word per line as "word POS chunk-tag" (chunk tags O, B-<type>, I-<type>) and a blank line after each sentence';
  }
}

/** One sentence of a CoNLL-2000 file as written. */
export interface Conll2000Sentence {
  words: string[];
  pos: string[];
  tags: string[];
  /** 1-based line of the sentence's first word. */
  line: number;
}

/**
 * Reads CoNLL-2000 chunking text: `word POS chunk-tag` per line, separated by spaces or tabs,
 * a blank line between sentences (the last may end without one).
 */
export function parseConll2000(text: string, file: string): Conll2000Sentence[] {
  const sentences: Conll2000Sentence[] = [];
  let current: Conll2000Sentence | undefined;
  text.split(/\r?\n/).forEach((raw, index) => {
    const line = index + 1;
    if (raw.trim() === '') {
      if (current) sentences.push(current);
      current = undefined;
      return;
    }
    const columns = raw.trim().split(/[ \t]+/);
    if (columns.length !== 3)
      throw new ChunkFormatError(
        file,
        line,
        `expected 3 columns (word POS chunk-tag), found ${columns.length}: "${raw.trim()}"`,
      );
    const [word, pos, tag] = columns as [string, string, string];
    if (!parseChunkTag(tag))
      throw new ChunkFormatError(
        file,
        line,
        `"${tag}" is not a chunk tag (expected O, B-<type> or I-<type>)`,
      );
    current ??= { words: [], pos: [], tags: [], line };
    current.words.push(word);
    current.pos.push(pos);
    current.tags.push(tag);
  });
  if (current) sentences.push(current);
  return sentences;
}

/** A stem sentence carrying the `chunks` layer and the POS column as the `pos` layer. */
export function conll2000ToSentence(sentence: Conll2000Sentence, id: string): Sentence {
  return {
    id,
    words: sentence.words,
    annotations: { pos: sentence.pos, [CHUNKS_LAYER]: tagsToChunks(sentence.tags) },
  };
}
