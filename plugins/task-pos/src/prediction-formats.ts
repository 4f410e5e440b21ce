import { StemError, type PredictionFormat } from '@stem/core';
import { fillConllu } from '@stem/data';
import type { PosConfig } from './pos-config.js';

/**
 * `stem predict` output of the POS task: CoNLL-U with the predicted tags in XPOS (UPOS when
 * the head predicts UPOS); when the input is CoNLL-U every other line and column is kept.
 */
export const posPredictionFormats: readonly PredictionFormat<PosConfig>[] = [
  {
    name: 'conllu',
    extension: 'conllu',
    description:
      'CoNLL-U with the predicted tags in XPOS (UPOS for tagSet upos); a CoNLL-U input keeps every other column',
    editsInput: true,
    write: (sentences, context) => {
      const column = context.config?.tagSet ?? 'xpos';
      const layer = column === 'xpos' ? 'pos' : 'upos';
      return fillConllu(sentences, context.input, (words, sentence) => {
        const tags = sentence.annotations[layer];
        if (!tags)
          throw new StemError(
            `task "${context.task}": sentence ${sentence.id} has no predicted ${layer} tags`,
            'write the sentences returned by predictRun',
          );
        words.forEach((word, i) => (word[column] = tags[i] as string));
      });
    },
  },
];
