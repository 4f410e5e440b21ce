import type { DependencyTree, Metric, MetricResult, Sentence } from '@stem/core';

/** A token whose characters are all Unicode punctuation (general category P*), as the paper. */
export function isPunctuation(word: string): boolean {
  return /^\p{P}+$/u.test(word);
}

interface Counts {
  words: number;
  heads: number;
  labelled: number;
  /** Head right and the universal part of the relation right (`nsubj:pass` as `nsubj`). */
  labelledUniversal: number;
}

/** The universal part of a UD relation, as the CoNLL 2018 scorer compares it: `nsubj:pass` -> `nsubj`. */
export function universalRelation(relation: string): string {
  const colon = relation.indexOf(':');
  return colon < 0 ? relation : relation.slice(0, colon);
}

interface RelationCounts {
  gold: number;
  predicted: number;
  correct: number;
}

/**
 * Attachment scores of dependency trees:
 * - `uas`, `las`: punctuation excluded (the paper's numbers; `las` is the primary score);
 * - `uasAll`, `lasAll`: every word counted, as the CoNLL 2018 scorer counts them, but `lasAll`
 *   compares labels in full (`nsubj:pass` differs from `nsubj`);
 * - `lasConll18`: the CoNLL 2018 shared task's LAS (conll18_ud_eval.py): every word counted and
 *   only the universal part of the relation compared (`nsubj:pass` counts as `nsubj`), the
 *   number to compare with published UD results; `uasAll` is that scorer's UAS;
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
        const predictedRelation = prediction.relations[i] ?? '';
        const goldRelation = tree.relations[i] ?? '';
        const labelRight = headRight && predictedRelation === goldRelation;
        const universalRight =
          headRight && universalRelation(predictedRelation) === universalRelation(goldRelation);
        count(this.all, headRight, labelRight, universalRight);
        if (isPunctuation(sentence.words[i] ?? '')) return;
        count(this.withoutPunctuation, headRight, labelRight, universalRight);
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
      lasConll18: ratio(this.all.labelledUniversal, this.all.words),
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
  return { words: 0, heads: 0, labelled: 0, labelledUniversal: 0 };
}

function count(
  counts: Counts,
  headRight: boolean,
  labelRight: boolean,
  universalRight: boolean,
): void {
  counts.words += 1;
  if (headRight) counts.heads += 1;
  if (labelRight) counts.labelled += 1;
  if (universalRight) counts.labelledUniversal += 1;
}
