import type { Metric, MetricResult, Sentence, SrlFrame } from '@stem/core';

interface Counts {
  gold: number;
  predicted: number;
  correct: number;
}

/** P, R, F1 of counts; 0 where a denominator is 0. */
function prf(counts: Counts): { precision: number; recall: number; f1: number } {
  const precision = counts.predicted === 0 ? 0 : counts.correct / counts.predicted;
  const recall = counts.gold === 0 ? 0 : counts.correct / counts.gold;
  const f1 = precision + recall === 0 ? 0 : (2 * precision * recall) / (precision + recall);
  return { precision, recall, f1 };
}

/** Distinct (predicate, start, end, role) tuples of a sentence's frames. */
function argumentTuples(frames: readonly SrlFrame[]): Set<string> {
  return new Set(
    frames.flatMap((f) => f.arguments.map((a) => `${f.predicate} ${a.start} ${a.end} ${a.role}`)),
  );
}

function predicates(frames: readonly SrlFrame[]): Set<number> {
  return new Set(frames.map((f) => f.predicate));
}

function overlap<T>(gold: Set<T>, predicted: Set<T>): number {
  let n = 0;
  for (const item of predicted) if (gold.has(item)) n += 1;
  return n;
}

/**
 * Micro P/R/F1 over (predicate, start, end, role) tuples (PAPER.md, SRL) and predicate
 * identification P/R/F1 over predicate positions. C- and R- arguments are tuples of their
 * own with their full role, so a continuation counts separately from the argument it
 * continues (srl-eval.pl instead joins them into one discontinuous argument). Gold frames
 * without arguments still count as gold predicates.
 */
export class SrlMetric implements Metric<Sentence, SrlFrame[]> {
  private readonly args: Counts = { gold: 0, predicted: 0, correct: 0 };
  private readonly preds: Counts = { gold: 0, predicted: 0, correct: 0 };

  update(gold: readonly Sentence[], predicted: readonly SrlFrame[][]): void {
    if (predicted.length !== gold.length)
      throw new Error(`SRL metric: ${predicted.length} predictions for ${gold.length} sentences`);
    gold.forEach((sentence, s) => {
      const goldFrames = sentence.annotations.srl;
      if (!goldFrames) return;
      const frames = predicted[s] as SrlFrame[];
      const goldArgs = argumentTuples(goldFrames);
      const predictedArgs = argumentTuples(frames);
      this.args.gold += goldArgs.size;
      this.args.predicted += predictedArgs.size;
      this.args.correct += overlap(goldArgs, predictedArgs);
      const goldPreds = predicates(goldFrames);
      const predictedPreds = predicates(frames);
      this.preds.gold += goldPreds.size;
      this.preds.predicted += predictedPreds.size;
      this.preds.correct += overlap(goldPreds, predictedPreds);
    });
  }

  result(): MetricResult {
    const args = prf(this.args);
    const preds = prf(this.preds);
    return {
      primary: 'f1',
      scores: {
        precision: args.precision,
        recall: args.recall,
        f1: args.f1,
        'predicate-precision': preds.precision,
        'predicate-recall': preds.recall,
        'predicate-f1': preds.f1,
        arguments: this.args.gold,
        predicates: this.preds.gold,
      },
    };
  }

  reset(): void {
    for (const counts of [this.args, this.preds]) {
      counts.gold = 0;
      counts.predicted = 0;
      counts.correct = 0;
    }
  }
}
