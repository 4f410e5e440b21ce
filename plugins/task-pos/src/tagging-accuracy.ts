import type { Metric, MetricResult, Sentence } from '@stem/core';

/** Token accuracy over every word, punctuation included (He & Choi 2021, POS). */
export class TaggingAccuracy implements Metric<Sentence, string[]> {
  private correct = 0;
  private total = 0;

  constructor(private readonly goldTags: (sentence: Sentence) => readonly string[] | undefined) {}

  update(gold: readonly Sentence[], predicted: readonly string[][]): void {
    gold.forEach((sentence, s) => {
      const tags = this.goldTags(sentence);
      if (!tags) return;
      const prediction = predicted[s] ?? [];
      if (prediction.length !== tags.length) {
        throw new Error(
          `sentence ${sentence.id}: ${prediction.length} predicted tags for ${tags.length} words`,
        );
      }
      tags.forEach((tag, i) => {
        this.total += 1;
        if (prediction[i] === tag) this.correct += 1;
      });
    });
  }

  result(): MetricResult {
    return {
      primary: 'accuracy',
      scores: { accuracy: this.total === 0 ? 0 : this.correct / this.total, tokens: this.total },
    };
  }

  reset(): void {
    this.correct = 0;
    this.total = 0;
  }
}
