/** gum-ner: UD English-GUM with flat named entities from its `Entity=` annotations (rule in ner/gum-entities.ts). */
import type { AnnotationLayer, Sentence, Split } from '@stem/core';
import { gumNamedEntities } from '../ner/gum-entities.js';
import { conlluToSentence } from '../readers/conllu.js';
import type { CorpusReader } from './corpus-reader.js';
import { readUdSplit } from './ud-corpus.js';
import { bundledUdDirectory } from './ud-files.js';

export class GumNerCorpus implements CorpusReader {
  readonly layers: readonly AnnotationLayer[] = ['ner', 'pos', 'upos', 'dep'];
  readonly location: string;

  constructor(directory?: string) {
    this.location = directory ?? bundledUdDirectory();
  }

  async read(split: Split): Promise<Sentence[]> {
    const { file, sentences } = await readUdSplit('en_gum', split, this.location);
    return sentences.map((s, k) => {
      const sentence = conlluToSentence(s, { fallbackId: `${split}-${k + 1}` });
      sentence.annotations.ner = gumNamedEntities(s, file);
      return sentence;
    });
  }
}
