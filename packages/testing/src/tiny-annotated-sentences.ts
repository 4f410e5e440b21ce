import type { Sentence, TreeNode } from '@stem/core';

const leaf = (label: string, word: string): TreeNode => ({ label, word, children: [] });
const node = (label: string, ...children: TreeNode[]): TreeNode => ({ label, children });

/**
 * Three hand-annotated sentences carrying every layer the paper's heads and the examples
 * read (pos, upos, ner, dep, con, srl, chunks): small enough for a checkpoint fixture of a
 * few KB, varied enough that every head has more than one label to tell apart.
 */
export function tinyAnnotatedSentences(): Sentence[] {
  const sentences: Array<{ id: string; words: string[]; annotations: Record<string, unknown> }> = [
    {
      id: 'tiny-1',
      words: ['The', 'cat', 'sat', 'on', 'the', 'mat', '.'],
      annotations: {
        pos: ['DT', 'NN', 'VBD', 'IN', 'DT', 'NN', '.'],
        upos: ['DET', 'NOUN', 'VERB', 'ADP', 'DET', 'NOUN', 'PUNCT'],
        ner: [],
        dep: {
          heads: [2, 3, 0, 6, 6, 3, 3],
          relations: ['det', 'nsubj', 'root', 'case', 'det', 'obl', 'punct'],
        },
        con: node(
          'S',
          node('NP', leaf('DT', 'The'), leaf('NN', 'cat')),
          node(
            'VP',
            leaf('VBD', 'sat'),
            node('PP', leaf('IN', 'on'), node('NP', leaf('DT', 'the'), leaf('NN', 'mat'))),
          ),
          leaf('.', '.'),
        ),
        srl: [
          {
            predicate: 2,
            arguments: [
              { start: 0, end: 2, role: 'ARG1' },
              { start: 3, end: 6, role: 'ARGM-LOC' },
            ],
          },
        ],
        chunks: [
          { start: 0, end: 2, label: 'NP' },
          { start: 2, end: 3, label: 'VP' },
          { start: 3, end: 4, label: 'PP' },
          { start: 4, end: 6, label: 'NP' },
        ],
      },
    },
    {
      id: 'tiny-2',
      words: ['John', 'saw', 'Mary', 'in', 'Paris', '.'],
      annotations: {
        pos: ['NNP', 'VBD', 'NNP', 'IN', 'NNP', '.'],
        upos: ['PROPN', 'VERB', 'PROPN', 'ADP', 'PROPN', 'PUNCT'],
        ner: [
          { start: 0, end: 1, label: 'PERSON' },
          { start: 2, end: 3, label: 'PERSON' },
          { start: 4, end: 5, label: 'GPE' },
        ],
        dep: {
          heads: [2, 0, 2, 5, 2, 2],
          relations: ['nsubj', 'root', 'obj', 'case', 'obl', 'punct'],
        },
        con: node(
          'S',
          node('NP', leaf('NNP', 'John')),
          node(
            'VP',
            leaf('VBD', 'saw'),
            node('NP', leaf('NNP', 'Mary')),
            node('PP', leaf('IN', 'in'), node('NP', leaf('NNP', 'Paris'))),
          ),
          leaf('.', '.'),
        ),
        srl: [
          {
            predicate: 1,
            arguments: [
              { start: 0, end: 1, role: 'ARG0' },
              { start: 2, end: 3, role: 'ARG1' },
              { start: 3, end: 5, role: 'ARGM-LOC' },
            ],
          },
        ],
        chunks: [
          { start: 0, end: 1, label: 'NP' },
          { start: 1, end: 2, label: 'VP' },
          { start: 2, end: 3, label: 'NP' },
          { start: 3, end: 4, label: 'PP' },
          { start: 4, end: 5, label: 'NP' },
        ],
      },
    },
    {
      id: 'tiny-3',
      words: ['Dogs', 'bark', 'in', 'London', '.'],
      annotations: {
        pos: ['NNS', 'VBP', 'IN', 'NNP', '.'],
        upos: ['NOUN', 'VERB', 'ADP', 'PROPN', 'PUNCT'],
        ner: [{ start: 3, end: 4, label: 'GPE' }],
        dep: { heads: [2, 0, 4, 2, 2], relations: ['nsubj', 'root', 'case', 'obl', 'punct'] },
        con: node(
          'S',
          node('NP', leaf('NNS', 'Dogs')),
          node(
            'VP',
            leaf('VBP', 'bark'),
            node('PP', leaf('IN', 'in'), node('NP', leaf('NNP', 'London'))),
          ),
          leaf('.', '.'),
        ),
        srl: [
          {
            predicate: 1,
            arguments: [
              { start: 0, end: 1, role: 'ARG0' },
              { start: 2, end: 4, role: 'ARGM-LOC' },
            ],
          },
        ],
        chunks: [
          { start: 0, end: 1, label: 'NP' },
          { start: 1, end: 2, label: 'VP' },
          { start: 2, end: 3, label: 'PP' },
          { start: 3, end: 4, label: 'NP' },
        ],
      },
    },
  ];
  return sentences as Sentence[];
}
