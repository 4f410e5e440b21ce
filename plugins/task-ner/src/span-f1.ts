import type { LabeledSpan, Metric, MetricResult, Sentence } from '@stem/core';

interface Counts {
  correct: number;
  gold: number;
  predicted: number;
}

/**
 * Exact-span scores: a predicted entity is correct iff a gold entity has the same start, end
 * and type. Micro precision / recall / F1 over all entities (primary: `f1`), plus
 * `<type>.precision|recall|f1` for every type seen in gold or predictions.
 *
 * With nothing to find and nothing predicted, every score is 1 (no error was made); with
 * nothing predicted precision is 0 otherwise, and with nothing to find recall is 0.
 */
export class SpanF1 implements Metric<Sentence, LabeledSpan[]> {
  private readonly counts = new Map<string, Counts>();

  update(gold: readonly Sentence[], predicted: readonly LabeledSpan[][]): void {
    if (predicted.length !== gold.length)
      throw new Error(`${predicted.length} predictions for ${gold.length} sentences`);
    gold.forEach((sentence, s) => {
      const spans = predicted[s] as LabeledSpan[];
      for (const span of spans) {
        if (span.start < 0 || span.end > sentence.words.length || span.end <= span.start)
          throw new Error(
            `sentence ${sentence.id}: predicted span ${span.label} [${span.start}, ${span.end}) lies outside its ${sentence.words.length} words`,
          );
      }
      // Multiset matching: a gold entity listed twice can be matched twice, never more.
      const unmatched = new Map<string, number>();
      for (const span of sentence.annotations.ner ?? []) {
        this.of(span.label).gold += 1;
        const key = keyOf(span);
        unmatched.set(key, (unmatched.get(key) ?? 0) + 1);
      }
      for (const span of spans) {
        const counts = this.of(span.label);
        counts.predicted += 1;
        const key = keyOf(span);
        const left = unmatched.get(key) ?? 0;
        if (left > 0) {
          counts.correct += 1;
          unmatched.set(key, left - 1);
        }
      }
    });
  }

  result(): MetricResult {
    const total: Counts = { correct: 0, gold: 0, predicted: 0 };
    const perType: Record<string, number> = {};
    for (const [type, counts] of [...this.counts].sort(([a], [b]) => a.localeCompare(b))) {
      total.correct += counts.correct;
      total.gold += counts.gold;
      total.predicted += counts.predicted;
      const { precision, recall, f1 } = scores(counts);
      perType[`${type}.precision`] = precision;
      perType[`${type}.recall`] = recall;
      perType[`${type}.f1`] = f1;
    }
    return {
      primary: 'f1',
      scores: {
        ...scores(total),
        gold: total.gold,
        predicted: total.predicted,
        correct: total.correct,
        ...perType,
      },
    };
  }

  reset(): void {
    this.counts.clear();
  }

  private of(type: string): Counts {
    let counts = this.counts.get(type);
    if (!counts) {
      counts = { correct: 0, gold: 0, predicted: 0 };
      this.counts.set(type, counts);
    }
    return counts;
  }
}

function keyOf(span: LabeledSpan): string {
  return `${span.start}:${span.end}:${span.label}`;
}

function scores({ correct, gold, predicted }: Counts): {
  precision: number;
  recall: number;
  f1: number;
} {
  const precision = predicted > 0 ? correct / predicted : gold === 0 ? 1 : 0;
  const recall = gold > 0 ? correct / gold : predicted === 0 ? 1 : 0;
  const f1 = precision + recall > 0 ? (2 * precision * recall) / (precision + recall) : 0;
  return { precision, recall, f1 };
}
