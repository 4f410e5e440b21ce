import type { Sentence } from '@stem/core';
import { splitLines } from '../errors.js';

/**
 * Raw running text, one sentence (or paragraph) per line, words separated by whitespace.
 * Blank lines are skipped; each sentence's id is `<source>:<line>`, stable and unique, so
 * a head that perturbs sentences per id (masked-LM on dev) perturbs them the same way
 * in every run. Sentences carry no annotation.
 */
export function parsePlainText(text: string, source: string): Sentence[] {
  const sentences: Sentence[] = [];
  splitLines(text).forEach((line, index) => {
    const words = line.split(/\s+/).filter((word) => word !== '');
    if (words.length > 0) sentences.push({ id: `${source}:${index + 1}`, words, annotations: {} });
  });
  return sentences;
}
