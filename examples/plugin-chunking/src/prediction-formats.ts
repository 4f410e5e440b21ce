import type { PredictionFormat, Sentence } from '@stem/core';
import { chunksToTags } from './chunk-tags.js';
import { chunksOf } from './chunks-layer.js';

/** Predicted chunks of a sentence, or an error naming the task that should have made them. */
function predictedChunks(sentence: Sentence, task: string) {
  try {
    return chunksOf(sentence);
  } catch {
    throw new Error(`task ${task}: sentence ${sentence.id} has no predicted chunks`);
  }
}

/**
 * `stem predict --format conll2000`: the shared task's own columns, `word POS chunk-tag` with
 * IOB2 tags and a blank line after each sentence (conlleval reads it once the gold tag column
 * is added). The POS column is the input's (a CoNLL-U input's XPOS); `_` where the input has none.
 */
export const conll2000Format: PredictionFormat = {
  name: 'conll2000',
  extension: 'chunks.txt',
  description: 'CoNLL-2000 columns: word POS chunk-tag (IOB2), a blank line after each sentence',
  write: (sentences, context) =>
    sentences
      .map((sentence) => {
        const tags = chunksToTags(predictedChunks(sentence, context.task), sentence.words.length);
        const pos = sentence.annotations.pos;
        return (
          sentence.words.map((word, i) => `${word} ${pos?.[i] ?? '_'} ${tags[i]}\n`).join('') + '\n'
        );
      })
      .join(''),
};

/** `--format chunk-brackets`: one sentence per line, chunks bracketed (`[NP The cat] [VP sat]`). */
export const bracketFormat: PredictionFormat = {
  name: 'chunk-brackets',
  extension: 'chunks.brackets.txt',
  description: 'one sentence per line with chunks in brackets: [NP The cat] [VP sat] .',
  write: (sentences, context) =>
    sentences
      .map((sentence) => {
        const chunks = [...predictedChunks(sentence, context.task)].sort(
          (a, b) => a.start - b.start,
        );
        const parts: string[] = [];
        let next = 0;
        for (const chunk of chunks) {
          parts.push(...sentence.words.slice(next, chunk.start));
          parts.push(`[${chunk.label} ${sentence.words.slice(chunk.start, chunk.end).join(' ')}]`);
          next = chunk.end;
        }
        parts.push(...sentence.words.slice(next));
        return parts.join(' ') + '\n';
      })
      .join(''),
};

/** Most useful first: the first is `stem predict`'s default. */
export const chunkPredictionFormats: readonly PredictionFormat[] = [conll2000Format, bracketFormat];
