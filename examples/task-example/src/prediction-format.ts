import type { PredictionFormat, Sentence } from '@stem/core';
import { CAPITALISATION_LAYER } from './capitalisation-tagger.js';

/** The labels `annotate` stored under the plugin's own key. */
export function capitalisationLabelsOf(sentence: Sentence): string[] {
  const labels = (sentence.annotations as Record<string, unknown>)[CAPITALISATION_LAYER];
  if (!Array.isArray(labels))
    throw new Error(`sentence ${sentence.id} has no predicted capitalisation labels`);
  return labels as string[];
}

/**
 * How `stem predict` writes this task: a third-party task declares its own format on its
 * registration, here `word<TAB>label` lines with a blank line after each sentence.
 */
export const capitalisationPredictionFormats: readonly PredictionFormat[] = [
  {
    name: 'capitalisation',
    extension: 'cap.tsv',
    description: 'word<TAB>lower|capitalised, a blank line after each sentence',
    write: (sentences) =>
      sentences
        .map((sentence) => {
          const labels = capitalisationLabelsOf(sentence);
          return sentence.words.map((word, i) => `${word}\t${labels[i]}\n`).join('') + '\n';
        })
        .join(''),
  },
];
