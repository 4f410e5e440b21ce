import { SeededRandom, type Sentence } from '@stem/core';

const LEXICON: Record<string, string[]> = {
  DT: ['the', 'a', 'every', 'this'],
  JJ: ['small', 'red', 'quick', 'old', 'happy'],
  NN: ['dog', 'cat', 'report', 'river', 'teacher', 'song'],
  VBD: ['saw', 'liked', 'wrote', 'found', 'crossed'],
  IN: ['near', 'under', 'with'],
  '.': ['.', '!'],
};

/**
 * Seeded toy sentences of the shape DT (JJ) NN VBD DT NN (IN DT NN) . with PTB tags and
 * coarse UPOS tags: learnable in a few steps, so trainer tests can assert that training
 * helps, without shipping a corpus.
 */
export function syntheticTaggedSentences(count: number, seed: number, prefix = 's'): Sentence[] {
  const random = new SeededRandom(seed);
  const pick = (tag: string): [string, string] => {
    const words = LEXICON[tag] as string[];
    return [words[random.int(words.length)] as string, tag];
  };
  const coarse: Record<string, string> = {
    DT: 'DET',
    JJ: 'ADJ',
    NN: 'NOUN',
    VBD: 'VERB',
    IN: 'ADP',
    '.': 'PUNCT',
  };
  return Array.from({ length: count }, (_, index) => {
    const tags = [
      'DT',
      ...(random.next() < 0.5 ? ['JJ'] : []),
      'NN',
      'VBD',
      'DT',
      'NN',
      ...(random.next() < 0.3 ? ['IN', 'DT', 'NN'] : []),
      '.',
    ];
    const pairs = tags.map(pick);
    return {
      id: `${prefix}-${index}`,
      words: pairs.map(([word]) => word),
      annotations: {
        pos: pairs.map(([, tag]) => tag),
        upos: pairs.map(([, tag]) => coarse[tag] as string),
      },
    };
  });
}
