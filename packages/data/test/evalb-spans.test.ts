import { describe, expect, it } from 'vitest';
import { parsePtb } from '../src/readers/ptb.js';
import { bracketF1, evalbSpans } from '../src/trees/evalb-spans.js';

const tree = (text: string) => parsePtb(text)[0]!.tree;

describe('EVALB spans', () => {
  it('drops punctuation words before numbering, skips TOP, and treats PRT as ADVP', () => {
    // The0 cat1 sat2 down3 (the final "." is deleted).
    expect(
      evalbSpans(tree('(TOP (S (NP (DT The) (NN cat)) (VP (VBD sat) (PRT (RP down))) (. .)))')),
    ).toEqual([
      { start: 0, end: 4, label: 'S' },
      { start: 0, end: 2, label: 'NP' },
      { start: 2, end: 4, label: 'VP' },
      { start: 3, end: 4, label: 'ADVP' },
    ]);
  });

  it('renumbers around a deleted comma and counts a phrase over one word but not its pre-terminal', () => {
    // John0 left1: the comma and the period are not words for EVALB.
    expect(evalbSpans(tree('(TOP (S (NP (NNP John)) (, ,) (VP (VBD left)) (. .)))'))).toEqual([
      { start: 0, end: 2, label: 'S' },
      { start: 0, end: 1, label: 'NP' },
      { start: 1, end: 2, label: 'VP' },
    ]);
  });

  it('gives no span to a phrase left without words, nor to S1 or quotes', () => {
    expect(evalbSpans(tree("(S1 (S (NP (NN x)) (FRAG (: -) (`` ``) ('' ''))))"))).toEqual([
      { start: 0, end: 1, label: 'S' },
      { start: 0, end: 1, label: 'NP' },
    ]);
  });

  it('counts unary brackets of the same extent separately', () => {
    expect(evalbSpans(tree('(TOP (S (VP (VB Go)) (! !)))'))).toEqual([
      { start: 0, end: 1, label: 'S' },
      { start: 0, end: 1, label: 'VP' },
    ]);
  });

  it('scores labelled brackets as multisets (hand-computed P = R = 0.5)', () => {
    const gold = tree('(TOP (S (NP (DT The) (NN cat)) (VP (VBD sat) (PRT (RP down))) (. .)))');
    const predicted = tree(
      '(TOP (S (NP (DT The)) (VP (NN cat) (VBD sat) (ADVP (RP down))) (. .)))',
    );
    const score = bracketF1([gold], [predicted]);
    expect(score).toMatchObject({
      matched: 2,
      gold: 4,
      predicted: 4,
      precision: 0.5,
      recall: 0.5,
      f1: 0.5,
    });
    expect(bracketF1([gold], [gold]).f1).toBe(1);
  });
});
