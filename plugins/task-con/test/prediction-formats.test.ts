import type { Sentence, TreeNode } from '@stem/core';
import { parsePtb, treeWords } from '@stem/data';
import { describe, expect, it } from 'vitest';
import { conPredictionFormats } from '../src/prediction-formats.js';

const ptb = conPredictionFormats[0]!;
const leaf = (label: string, word: string): TreeNode => ({ label, word, children: [] });

describe('CON prediction format (PTB)', () => {
  it('writes one bracketed tree per line that parsePtb reads back, brackets escaped', () => {
    const sentences: Sentence[] = [
      {
        id: 'a',
        words: ['Dogs', 'bark', '(', 'loudly', ')'],
        annotations: {
          con: {
            label: 'S',
            children: [
              { label: 'NP', children: [leaf('NNS', 'Dogs')] },
              {
                label: 'VP',
                children: [
                  leaf('VBP', 'bark'),
                  leaf('-LRB-', '('),
                  { label: 'ADVP', children: [leaf('RB', 'loudly')] },
                  leaf('-RRB-', ')'),
                ],
              },
            ],
          },
        },
      },
      {
        id: 'b',
        words: ['Hi'],
        annotations: { con: { label: 'INTJ', children: [leaf('UH', 'Hi')] } },
      },
    ];
    const text = ptb.write(sentences, { task: 'con', config: {} });
    expect(text.trimEnd().split('\n')).toEqual([
      '(S (NP (NNS Dogs)) (VP (VBP bark) (-LRB- -LRB-) (ADVP (RB loudly)) (-RRB- -RRB-)))',
      '(INTJ (UH Hi))',
    ]);
    const back = parsePtb(text, 'predicted.tree');
    expect(back.map((t) => treeWords(t.tree))).toEqual([
      ['Dogs', 'bark', '-LRB-', 'loudly', '-RRB-'],
      ['Hi'],
    ]);
    expect(back[1]!.tree).toEqual(sentences[1]!.annotations.con);
  });

  it('names the task and sentence that has no predicted tree', () => {
    expect(() =>
      ptb.write([{ id: 'x', words: ['a'], annotations: {} }], { task: 'con', config: {} }),
    ).toThrow(/task "con": sentence x has no predicted constituency tree/);
  });
});
