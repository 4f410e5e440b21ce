import { relationFound, type LabelledRelation } from './probe-items.js';
import type { BaselineScores } from './probe-result.js';

/**
 * Model-free reference rows for the attention probe, scored with the same rule as a head:
 * "previous word" (pi(u) = u - 1, so the first word points to ROOT) and "next word"
 * (pi(u) = u + 1, the last word points nowhere). ROOT itself points nowhere in both.
 */
export function adjacentWordBaselines(
  wordCounts: readonly number[],
  relations: readonly (readonly LabelledRelation[])[],
): BaselineScores[] {
  const rules: Array<[string, (unit: number, words: number) => number]> = [
    ['previous word', (unit) => (unit >= 1 ? unit - 1 : -1)],
    ['next word', (unit, words) => (unit >= 1 && unit < words ? unit + 1 : -1)],
  ];
  return rules.map(([name, pointer]) => {
    const perLabel = new Map<string, { total: number; correct: number }>();
    let total = 0;
    let correct = 0;
    relations.forEach((sentence, s) => {
      const words = wordCounts[s] as number;
      for (const relation of sentence) {
        const hit = relationFound((unit) => pointer(unit, words), relation);
        const entry = perLabel.get(relation.label) ?? { total: 0, correct: 0 };
        entry.total += 1;
        entry.correct += hit ? 1 : 0;
        perLabel.set(relation.label, entry);
        total += 1;
        correct += hit ? 1 : 0;
      }
    });
    return {
      name,
      accuracy: total === 0 ? 0 : correct / total,
      labels: Object.fromEntries(
        [...perLabel.entries()].map(([label, e]) => [label, e.correct / e.total]),
      ),
    };
  });
}
