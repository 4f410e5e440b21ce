import { headIsWord, relationFound, type LabelledRelation } from './probe-items.js';
import type { BaselineScores } from './probe-result.js';

/** Offsets the per-label positional reference tries: -16..-1 and 1..16 words. */
export const MAX_BASELINE_OFFSET = 16;

/**
 * pi(u) = u + offset for a word unit u (1..words): word i points to word i + offset, and to
 * nothing (-1) when that falls outside the sentence. It never points at ROOT ([CLS], unit 0):
 * "the word k places away" is a word, and [CLS] is no word of the sentence; unit 0 itself
 * points nowhere. With the ROOT rule of `relationFound` (an arc to ROOT is found only when
 * pi(d) = [CLS]) no positional row finds an arc to ROOT: its root accuracy is 0 by
 * construction. Offset -1 is "previous word" (the first word points nowhere), +1 "next word"
 * (the last word points nowhere).
 */
export function offsetPointer(offset: number, words: number): (unit: number) => number {
  return (unit) => {
    const target = unit + offset;
    return unit >= 1 && target >= 1 && target <= words ? target : -1;
  };
}

/** The per-label positional row of an attention probe result (absent in older results). */
export function perLabelOffsetBaseline(result: {
  baselines?: readonly BaselineScores[];
}): BaselineScores | undefined {
  return result.baselines?.find((b) => b.offsets !== undefined);
}

/** One label's tally: all its relations, and those whose head is a word (ROOT excluded). */
interface LabelCounts {
  total: number;
  correct: number;
  wordHeadedTotal: number;
  wordHeadedCorrect: number;
}

/** Tallies per label for one pointer rule applied to every sentence. */
function countsOf(
  wordCounts: readonly number[],
  relations: readonly (readonly LabelledRelation[])[],
  offset: number,
): Map<string, LabelCounts> {
  const perLabel = new Map<string, LabelCounts>();
  relations.forEach((sentence, s) => {
    const pointer = offsetPointer(offset, wordCounts[s] as number);
    for (const relation of sentence) {
      const entry = perLabel.get(relation.label) ?? {
        total: 0,
        correct: 0,
        wordHeadedTotal: 0,
        wordHeadedCorrect: 0,
      };
      const found = relationFound(pointer, relation);
      entry.total += 1;
      if (found) entry.correct += 1;
      if (headIsWord(relation)) {
        entry.wordHeadedTotal += 1;
        if (found) entry.wordHeadedCorrect += 1;
      }
      perLabel.set(relation.label, entry);
    }
  });
  return perLabel;
}

function scoresOf(name: string, perLabel: Map<string, LabelCounts>): BaselineScores {
  let total = 0;
  let correct = 0;
  let wordHeadedTotal = 0;
  let wordHeadedCorrect = 0;
  for (const entry of perLabel.values()) {
    total += entry.total;
    correct += entry.correct;
    wordHeadedTotal += entry.wordHeadedTotal;
    wordHeadedCorrect += entry.wordHeadedCorrect;
  }
  return {
    name,
    accuracy: total === 0 ? 0 : correct / total,
    rootExcludedAccuracy: wordHeadedTotal === 0 ? 0 : wordHeadedCorrect / wordHeadedTotal,
    labels: Object.fromEntries([...perLabel].map(([label, e]) => [label, e.correct / e.total])),
  };
}

/**
 * Model-free reference rows for the attention probe, scored with the same rule as a head:
 * "previous word" and "next word" (one pointer rule for every label), and "best fixed offset
 * per label": for each label the offset in +-1..MAX_BASELINE_OFFSET that finds most of its
 * relations on the scored data (Clark et al. 2019 compare each relation's best head with such
 * a positional reference). A head that beats the last row on a label tracks something that
 * position alone does not give; its accuracy over all items mixes offsets, so it is an upper
 * reference for any single positional head. Each row also carries its accuracy over the
 * arcs whose head is a word (`rootExcludedAccuracy`; the per-label row keeps its offsets).
 */
export function positionalBaselines(
  wordCounts: readonly number[],
  relations: readonly (readonly LabelledRelation[])[],
): BaselineScores[] {
  const previous = countsOf(wordCounts, relations, -1);
  const next = countsOf(wordCounts, relations, 1);
  const best = new Map<string, LabelCounts & { offset: number }>();
  for (let distance = 1; distance <= MAX_BASELINE_OFFSET; distance++)
    for (const offset of [-distance, distance]) {
      const counts =
        offset === -1 ? previous : offset === 1 ? next : countsOf(wordCounts, relations, offset);
      for (const [label, entry] of counts) {
        const top = best.get(label);
        // Ties keep the shorter offset, and at one distance the earlier (leftward) one.
        if (!top || entry.correct > top.correct) best.set(label, { ...entry, offset });
      }
    }
  const perLabel = scoresOf('best fixed offset per label', best);
  perLabel.offsets = Object.fromEntries([...best].map(([label, e]) => [label, e.offset]));
  return [scoresOf('previous word', previous), scoresOf('next word', next), perLabel];
}
