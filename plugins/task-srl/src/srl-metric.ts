import type { Metric, MetricResult, Sentence, SrlFrame } from '@stem/core';
import { conll05ArgumentKeys, framesByPredicate } from './conll05-arguments.js';

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
 * Micro P/R/F1 over (predicate, start, end, role) tuples (He & Choi 2021, SRL) and predicate
 * identification P/R/F1 over predicate positions. C- and R- arguments are tuples of their
 * own with their full role, so a continuation counts separately from the argument it
 * continues (srl-eval.pl instead joins them into one discontinuous argument). Gold frames
 * without arguments still count as gold predicates.
 *
 * `conll05-precision`, `conll05-recall`, `conll05-f1` and `conll05-arguments` are the
 * CoNLL-2005 scorer's numbers (srl-eval.pl, agreement tested in tools/scorer-agreement): its
 * arguments (`conll05ArgumentKeys`: a C- argument joined to the one it continues) and only
 * predicates the gold has: a predicted frame at a word that is no gold predicate is skipped,
 * not counted as excess, and a missed gold predicate misses all its arguments. srl-eval.pl
 * also requires the target column's lemma to match; the metric sees predicate positions only.
 */
export class SrlMetric implements Metric<Sentence, SrlFrame[]> {
  private readonly args: Counts = { gold: 0, predicted: 0, correct: 0 };
  private readonly preds: Counts = { gold: 0, predicted: 0, correct: 0 };
  private readonly conll05: Counts = { gold: 0, predicted: 0, correct: 0 };

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
      this.countConll05(goldFrames, frames);
    });
  }

  private countConll05(goldFrames: readonly SrlFrame[], frames: readonly SrlFrame[]): void {
    const predictedByPredicate = framesByPredicate(frames);
    for (const [predicate, goldFrame] of framesByPredicate(goldFrames)) {
      const goldKeys = new Set(conll05ArgumentKeys(goldFrame));
      const predictedFrame = predictedByPredicate.get(predicate);
      const predictedKeys = new Set(predictedFrame ? conll05ArgumentKeys(predictedFrame) : []);
      this.conll05.gold += goldKeys.size;
      this.conll05.predicted += predictedKeys.size;
      this.conll05.correct += overlap(goldKeys, predictedKeys);
    }
  }

  result(): MetricResult {
    const args = prf(this.args);
    const preds = prf(this.preds);
    const conll05 = prf(this.conll05);
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
        'conll05-precision': conll05.precision,
        'conll05-recall': conll05.recall,
        'conll05-f1': conll05.f1,
        'conll05-arguments': this.conll05.gold,
      },
    };
  }

  reset(): void {
    for (const counts of [this.args, this.preds, this.conll05]) {
      counts.gold = 0;
      counts.predicted = 0;
      counts.correct = 0;
    }
  }
}
