import { StemError, type PredictionFormat, type Sentence } from '@stem/core';
import { fillConllu, sentenceToBio, setMiscItem, spansToBio, writeBio } from '@stem/data';

function entitiesOf(sentence: Sentence, task: string) {
  const entities = sentence.annotations.ner;
  if (!entities)
    throw new StemError(
      `task "${task}": sentence ${sentence.id} has no predicted entities`,
      'write the sentences returned by predictRun',
    );
  return entities;
}

/**
 * `stem predict` output of the NER task. Default: two-column BIO (word, IOB2 tag), what
 * CoNLL NER tools read. Second: CoNLL-U with `NER=<IOB2 tag>` in MISC, so entities can join
 * POS and DEP predictions in one file (other MISC items such as SpaceAfter=No are kept).
 */
export const nerPredictionFormats: readonly PredictionFormat[] = [
  {
    name: 'bio',
    extension: 'bio',
    description: 'two columns, word and IOB2 tag, a blank line after each sentence',
    write: (sentences, context) =>
      writeBio(
        sentences.map((sentence) =>
          sentenceToBio({
            ...sentence,
            annotations: { ner: entitiesOf(sentence, context.task) },
          }),
        ),
      ),
  },
  {
    name: 'conllu',
    extension: 'conllu',
    description:
      'CoNLL-U with NER=<IOB2 tag> in MISC; a CoNLL-U input keeps every other column and MISC item',
    editsInput: true,
    write: (sentences, context) =>
      fillConllu(sentences, context.input, (words, sentence) => {
        const tags = spansToBio(entitiesOf(sentence, context.task), words.length);
        words.forEach((word, i) => (word.misc = setMiscItem(word.misc, 'NER', tags[i] as string)));
      }),
  },
];
