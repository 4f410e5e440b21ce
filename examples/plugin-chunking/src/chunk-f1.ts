import type { Metric, MetricResult, Sentence } from '@stem/core';
import { chunksOf, type Chunk } from './chunks-layer.js';

interface Counts {
  correct: number;
  gold: number;
  predicted: number;
}

/**
 * Chunk-level scores as conlleval computes them for CoNLL-2000: a predicted chunk is correct
 * iff a gold chunk has the same start, end and type. Micro precision / recall / F1 over all
 * chunks (primary `f1`) and `<type>.f1` per type seen in gold or predictions.
 *
 * With no gold and no predicted chunk every score is 1 (nothing to find, no error made);
 * otherwise an empty side scores 0, never NaN.
 */
export class ChunkF1 implements Metric<Sentence, Chunk[]> {
  private readonly counts = new Map<string, Counts>();

  update(gold: readonly Sentence[], predicted: readonly Chunk[][]): void {
    if (predicted.length !== gold.length)
      throw new Error(`${predicted.length} predictions for ${gold.length} sentences`);
    gold.forEach((sentence, s) => {
      const goldKeys = new Set<string>();
      for (const chunk of chunksOf(sentence)) {
        this.of(chunk.label).gold += 1;
        goldKeys.add(keyOf(chunk));
      }
      for (const chunk of predicted[s] as Chunk[]) {
        const counts = this.of(chunk.label);
        counts.predicted += 1;
        // Chunks never overlap, so a key is matched at most once.
        if (goldKeys.delete(keyOf(chunk))) counts.correct += 1;
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
      perType[`${type}.f1`] = scoresOf(counts).f1;
    }
    return { primary: 'f1', scores: { ...scoresOf(total), ...perType } };
  }

  reset(): void {
    this.counts.clear();
  }

  private of(type: string): Counts {
    let counts = this.counts.get(type);
    if (!counts) this.counts.set(type, (counts = { correct: 0, gold: 0, predicted: 0 }));
    return counts;
  }
}

function keyOf(chunk: Chunk): string {
  return `${chunk.start}:${chunk.end}:${chunk.label}`;
}

function scoresOf({ correct, gold, predicted }: Counts): {
  precision: number;
  recall: number;
  f1: number;
} {
  if (gold === 0 && predicted === 0) return { precision: 1, recall: 1, f1: 1 };
  const precision = predicted > 0 ? correct / predicted : 0;
  const recall = gold > 0 ? correct / gold : 0;
  const f1 = precision + recall > 0 ? (2 * precision * recall) / (precision + recall) : 0;
  return { precision, recall, f1 };
}
