import type { Sentence, TreeNode } from '@stem/core';
import { parsePtb } from '@stem/data';
import { describe, expect, it } from 'vitest';
import { LabelledBracketF1 } from '../src/labelled-bracket-f1.js';

const tree = (text: string): TreeNode => parsePtb(text)[0]!.tree;
const sentence = (id: string, text: string): Sentence => {
  const con = tree(text);
  const words: string[] = [];
  const walk = (n: TreeNode): void => {
    if (n.word !== undefined) {
      if (n.label !== '-NONE-') words.push(n.word);
    } else n.children.forEach(walk);
  };
  walk(con);
  return { id, words, annotations: { con } };
};

describe('LabelledBracketF1 (EVALB rules, hand-computed)', () => {
  it('ignores TOP, punctuation words and pre-terminals; counts unary chains; ADVP = PRT', () => {
    const gold = [
      // Brackets (punctuation deleted, so "." is no word): S 0-4, NP 0-1, VP 1-4, PRT 2-3 -> ADVP,
      // NP 3-4. The function tag of NP-SBJ is stripped before scoring.
      sentence(
        'a',
        '(TOP (S (NP-SBJ (PRP He)) (VP (VBD gave) (PRT (RP up)) (NP (NNS hopes))) (. .)))',
      ),
      // Brackets: S 0-2, VP 0-2 (a unary chain S -> VP counts twice), ADVP 1-2. The comma is deleted.
      sentence('b', '(TOP (S (VP (VB Go) (, ,) (ADVP (RB now)))))'),
    ];
    const predicted = [
      // S 0-4 ok, NP 0-1 ok, VP 1-3 wrong, ADVP 2-3 ok (PRT = ADVP), NP 3-4 ok: 4 of 5.
      tree('(TOP (S (NP (PRP He)) (VP (VBD gave) (ADVP (RP up))) (NP (NNS hopes)) (. .)))'),
      // S 0-2 ok, NP 1-2 wrong: 1 of 2; the missing VP and ADVP lower recall.
      tree('(TOP (S (VB Go) (, ,) (NP (RB now))))'),
    ];
    const metric = new LabelledBracketF1();
    metric.update(gold, predicted);
    const precision = 5 / 7;
    const recall = 5 / 8;
    expect(metric.result().primary).toBe('f1');
    const scores = metric.result().scores;
    expect(scores).toMatchObject({
      matched: 5,
      goldBrackets: 8,
      predictedBrackets: 7,
      sentences: 2,
    });
    expect(scores.precision).toBeCloseTo(precision, 12);
    expect(scores.recall).toBeCloseTo(recall, 12);
    expect(scores.f1).toBeCloseTo((2 * precision * recall) / (precision + recall), 12);
  });

  it('scores a perfect parse 1, skips sentences without a tree and resets', () => {
    const gold = sentence('c', '(TOP (S (NP (DT The) (NN cat)) (VP (VBZ sleeps))))');
    const metric = new LabelledBracketF1();
    metric.update(
      [gold, { id: 'd', words: ['x'], annotations: {} }],
      [gold.annotations.con!, tree('(TOP (X (Y x)))')],
    );
    expect(metric.result().scores).toMatchObject({ f1: 1, matched: 3, sentences: 1 });
    metric.reset();
    expect(metric.result().scores).toMatchObject({ f1: 0, matched: 0, goldBrackets: 0 });
  });

  it('refuses a predicted tree over other words, naming the sentence', () => {
    const gold = sentence('e', '(TOP (S (NP (PRP I)) (VP (VBP run))))');
    expect(() => new LabelledBracketF1().update([gold], [tree('(TOP (S (PRP I)))')])).toThrow(
      /sentence e: the predicted tree has 1 words, the gold tree 2/,
    );
  });
});
