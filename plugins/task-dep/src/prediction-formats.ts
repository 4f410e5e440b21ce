import { StemError, type PredictionFormat } from '@stem/core';
import { fillConllu } from '@stem/data';

/**
 * `stem predict` output of the DEP task: CoNLL-U with the predicted HEAD and DEPREL; when the
 * input is CoNLL-U every other line and column (DEPS included) is kept.
 */
export const depPredictionFormats: readonly PredictionFormat[] = [
  {
    name: 'conllu',
    extension: 'conllu',
    description:
      'CoNLL-U with the predicted HEAD and DEPREL; a CoNLL-U input keeps every other column',
    editsInput: true,
    write: (sentences, context) =>
      fillConllu(sentences, context.input, (words, sentence) => {
        const tree = sentence.annotations.dep;
        if (!tree)
          throw new StemError(
            `task "${context.task}": sentence ${sentence.id} has no predicted dependency tree`,
            'write the sentences returned by predictRun',
          );
        words.forEach((word, i) => {
          word.head = tree.heads[i] as number;
          word.deprel = tree.relations[i] as string;
        });
      }),
  },
];
