import type { Metric, MetricResult, Sentence, TreeNode } from '@stem/core';
import { evalbSpans, treeWords } from '@stem/data';
import { parserTree } from './labelled-brackets.js';

/**
 * EVALB-compatible labelled bracket precision / recall / F1, micro-averaged over the corpus
 * (He & Choi 2021, CON). The span rules are @stem/data's `evalbSpans` (COLLINS.prm): words tagged
 * '' : `` . ? ! , -NONE- are deleted before numbering, TOP / S1 brackets are not counted,
 * ADVP = PRT, pre-terminals are not brackets; matching is on (start, end, label) multisets.
 * The gold tree is scored as the parser sees it (function tags stripped). Sentences without
 * a `con` layer are skipped.
 */
export class LabelledBracketF1 implements Metric<Sentence, TreeNode> {
  private matched = 0;
  private gold = 0;
  private predicted = 0;
  private sentences = 0;

  update(gold: readonly Sentence[], predicted: readonly TreeNode[]): void {
    gold.forEach((sentence, s) => {
      const tree = sentence.annotations.con && parserTree(sentence.annotations.con);
      if (!tree) return;
      const prediction = predicted[s];
      if (!prediction) throw new Error(`sentence ${sentence.id}: no predicted tree`);
      const predictedWords = treeWords(prediction).length;
      const goldWords = treeWords(tree).length;
      if (predictedWords !== goldWords)
        throw new Error(
          `sentence ${sentence.id}: the predicted tree has ${predictedWords} words, the gold tree ${goldWords}`,
        );
      const counts = new Map<string, number>();
      const goldSpans = evalbSpans(tree);
      for (const span of goldSpans) {
        const key = `${span.start}:${span.end}:${span.label}`;
        counts.set(key, (counts.get(key) ?? 0) + 1);
      }
      const predictedSpans = evalbSpans(prediction);
      for (const span of predictedSpans) {
        const key = `${span.start}:${span.end}:${span.label}`;
        const left = counts.get(key) ?? 0;
        if (left > 0) {
          this.matched++;
          counts.set(key, left - 1);
        }
      }
      this.gold += goldSpans.length;
      this.predicted += predictedSpans.length;
      this.sentences++;
    });
  }

  result(): MetricResult {
    const precision = this.predicted === 0 ? 0 : this.matched / this.predicted;
    const recall = this.gold === 0 ? 0 : this.matched / this.gold;
    const f1 = precision + recall === 0 ? 0 : (2 * precision * recall) / (precision + recall);
    return {
      primary: 'f1',
      scores: {
        f1,
        precision,
        recall,
        matched: this.matched,
        goldBrackets: this.gold,
        predictedBrackets: this.predicted,
        sentences: this.sentences,
      },
    };
  }

  reset(): void {
    this.matched = 0;
    this.gold = 0;
    this.predicted = 0;
    this.sentences = 0;
  }
}
