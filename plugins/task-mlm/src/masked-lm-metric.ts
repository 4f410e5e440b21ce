import type { Metric, MetricResult, Sentence } from '@stem/core';

/** Per sentence: the predicted sub-words at its masked positions and their log-likelihoods. */
export interface MaskedLmPrediction {
  /** Sub-word positions that were masked (in the sentence's own row). */
  positions: number[];
  gold: number[];
  predicted: number[];
  /** ln p(gold) at each position, nats. */
  logLikelihoods: number[];
}

/**
 * Masked-token accuracy, the mean masked-LM loss in nats, perplexity = exp(loss), and the
 * primary score `logLikelihood` = -loss (the trainer keeps the checkpoint with the highest
 * primary score; accuracy stays flat on the unigram plateau while the loss still falls),
 * over every masked position of the split.
 */
export class MaskedLmMetric implements Metric<Sentence, MaskedLmPrediction> {
  private masked = 0;
  private correct = 0;
  private negativeLogLikelihood = 0;

  update(gold: readonly Sentence[], predicted: readonly MaskedLmPrediction[]): void {
    if (gold.length !== predicted.length)
      throw new Error(
        `masked-LM metric: ${predicted.length} predictions for ${gold.length} sentences`,
      );
    for (const prediction of predicted) {
      prediction.gold.forEach((id, i) => {
        this.masked += 1;
        if (prediction.predicted[i] === id) this.correct += 1;
        this.negativeLogLikelihood -= prediction.logLikelihoods[i] as number;
      });
    }
  }

  result(): MetricResult {
    const loss = this.masked > 0 ? this.negativeLogLikelihood / this.masked : 0;
    return {
      primary: 'logLikelihood',
      scores: {
        logLikelihood: -loss,
        accuracy: this.masked > 0 ? this.correct / this.masked : 0,
        loss,
        perplexity: Math.exp(loss),
        masked: this.masked,
      },
    };
  }

  reset(): void {
    this.masked = 0;
    this.correct = 0;
    this.negativeLogLikelihood = 0;
  }
}
