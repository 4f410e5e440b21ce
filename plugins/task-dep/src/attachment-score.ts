import type { DependencyTree, Metric, MetricResult, Sentence } from '@stem/core';

/** A token whose characters are all Unicode punctuation (general category P*), as the paper. */
export function isPunctuation(word: string): boolean {
  return /^\p{P}+$/u.test(word);
}

interface Counts {
  words: number;
  heads: number;
  labelled: number;
}

interface RelationCounts {
  gold: number;
  predicted: number;
  correct: number;
}

/**
 * Attachment scores of dependency trees:
 * - `uas`, `las`: punctuation excluded (the paper's numbers; `las` is the primary score);
 * - `uasAll`, `lasAll`: every word counted, as the CoNLL 2018 scorer counts them (labels are
 *   compared in full: the CoNLL 2018 scorer would also strip subtypes such as `:pass`);
 * - `words`, `wordsAll`: how many words each pair was scored on;
 * - `relation/<label>`: labelled F1 of each gold or predicted relation, punctuation excluded
 *   (precision over words predicted with the label, recall over words gold with it).
 * Whether a word is punctuation is decided on the gold word form.
 */
export class AttachmentScore implements Metric<Sentence, DependencyTree> {
  private withoutPunctuation: Counts = emptyCounts();
  private all: Counts = emptyCounts();
  private relations = new Map<string, RelationCounts>();

  update(gold: readonly Sentence[], predicted: readonly DependencyTree[]): void {
    gold.forEach((sentence, s) => {
      const tree = sentence.annotations.dep;
      if (!tree) return;
      const prediction = predicted[s];
      if (!prediction || prediction.heads.length !== tree.heads.length) {
        throw new Error(
          `sentence ${sentence.id}: ${prediction?.heads.length ?? 0} predicted heads for ${tree.heads.length} words`,
        );
      }
      tree.heads.forEach((head, i) => {
        const headRight = prediction.heads[i] === head;
        const labelRight = headRight && prediction.relations[i] === tree.relations[i];
        count(this.all, headRight, labelRight);
        if (isPunctuation(sentence.words[i] ?? '')) return;
        count(this.withoutPunctuation, headRight, labelRight);
        this.relation(tree.relations[i] ?? '').gold += 1;
        this.relation(prediction.relations[i] ?? '').predicted += 1;
        if (labelRight) this.relation(tree.relations[i] ?? '').correct += 1;
      });
    });
  }

  result(): MetricResult {
    const ratio = (part: number, whole: number) => (whole === 0 ? 0 : part / whole);
    const scores: Record<string, number> = {
      las: ratio(this.withoutPunctuation.labelled, this.withoutPunctuation.words),
      uas: ratio(this.withoutPunctuation.heads, this.withoutPunctuation.words),
      lasAll: ratio(this.all.labelled, this.all.words),
      uasAll: ratio(this.all.heads, this.all.words),
      words: this.withoutPunctuation.words,
      wordsAll: this.all.words,
    };
    for (const label of [...this.relations.keys()].sort()) {
      const { gold, predicted, correct } = this.relations.get(label)!;
      const precision = ratio(correct, predicted);
      const recall = ratio(correct, gold);
      scores[`relation/${label}`] = ratio(2 * precision * recall, precision + recall);
    }
    return { primary: 'las', scores };
  }

  reset(): void {
    this.withoutPunctuation = emptyCounts();
    this.all = emptyCounts();
    this.relations = new Map();
  }

  private relation(label: string): RelationCounts {
    let counts = this.relations.get(label);
    if (!counts) {
      counts = { gold: 0, predicted: 0, correct: 0 };
      this.relations.set(label, counts);
    }
    return counts;
  }
}

function emptyCounts(): Counts {
  return { words: 0, heads: 0, labelled: 0 };
}

function count(counts: Counts, headRight: boolean, labelRight: boolean): void {
  counts.words += 1;
  if (headRight) counts.heads += 1;
  if (labelRight) counts.labelled += 1;
}
