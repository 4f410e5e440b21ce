import type { Sentence } from '@stem/core';
import type { AttentionTask, CentroidTask } from '../probe-config.js';
import { lowestPhrases } from './lowest-phrases.js';

/** A labelled unit the centroid probe classifies: its word indices and gold label. */
export interface LabelledItem {
  label: string;
  words: number[];
}

/**
 * A labelled relation the attention probe looks for, in units (0 = ROOT, word w = w + 1):
 * found by a head when some `from` unit points to the `to` unit or, when `to` is a word, the
 * `to` unit points back to some `from` unit (`relationFound`). DEP: from = [dependent], to =
 * head (ROOT_UNIT for the root word); SRL: from = the argument's words, to = the predicate.
 */
export interface LabelledRelation {
  label: string;
  from: number[];
  to: number;
}

/** Why a sentence contributed nothing: missing layer or a layer that disagrees with words. */
export type SkipReason = 'missing-layer' | 'misaligned';

export function centroidItems(task: CentroidTask, sentence: Sentence): LabelledItem[] | SkipReason {
  const { annotations, words } = sentence;
  const range = (start: number, end: number) =>
    Array.from({ length: end - start }, (_, k) => start + k);
  switch (task) {
    case 'pos': {
      const tags = annotations.pos;
      if (!tags) return 'missing-layer';
      if (tags.length !== words.length) return 'misaligned';
      return tags.map((label, w) => ({ label, words: [w] }));
    }
    case 'ner': {
      const spans = annotations.ner;
      if (!spans) return 'missing-layer';
      if (spans.some((s) => s.start < 0 || s.end > words.length || s.end <= s.start))
        return 'misaligned';
      return spans.map((s) => ({ label: s.label, words: range(s.start, s.end) }));
    }
    case 'con': {
      if (!annotations.con) return 'missing-layer';
      const phrases = lowestPhrases(annotations.con);
      if (phrases.words !== words.length) return 'misaligned';
      return phrases.spans.map((s) => ({ label: s.label, words: range(s.start, s.end) }));
    }
  }
}

export function attentionRelations(
  task: AttentionTask,
  sentence: Sentence,
): LabelledRelation[] | SkipReason {
  const { annotations, words } = sentence;
  if (task === 'dep') {
    const dep = annotations.dep;
    if (!dep) return 'missing-layer';
    if (dep.heads.length !== words.length || dep.heads.some((h) => h < 0 || h > words.length))
      return 'misaligned';
    // Word w is unit w + 1 and a 1-based CoNLL head h is unit h (0 = ROOT = [CLS]).
    return dep.heads.map((head, w) => ({
      label: dep.relations[w] ?? '_',
      from: [w + 1],
      to: head,
    }));
  }
  const frames = annotations.srl;
  if (!frames) return 'missing-layer';
  const relations: LabelledRelation[] = [];
  for (const frame of frames) {
    if (frame.predicate < 0 || frame.predicate >= words.length) return 'misaligned';
    for (const argument of frame.arguments) {
      if (argument.start < 0 || argument.end > words.length || argument.end <= argument.start)
        return 'misaligned';
      relations.push({
        label: argument.role,
        from: Array.from(
          { length: argument.end - argument.start },
          (_, k) => argument.start + k + 1,
        ),
        to: frame.predicate + 1,
      });
    }
  }
  return relations;
}

/** ROOT's unit: [CLS], which a DEP arc's `to` names when the dependent hangs off ROOT. */
export const ROOT_UNIT = 0;

/** Whether a relation's head is a word, not ROOT: the arcs of the ROOT-excluded accuracy. */
export const headIsWord = (relation: LabelledRelation): boolean => relation.to !== ROOT_UNIT;

/**
 * The attention probe's rule on one pointer rule pi (unit -> unit; a head's argmax, or a
 * positional baseline's offset): DEP arc (d, g) is found if pi(d) = g or, when g is a word,
 * pi(g) = d; SRL argument [b, e] of predicate p if some i in [b, e] has pi(i) = p or pi(p) = i
 * (a predicate is always a word).
 *
 * The ROOT rule (He & Choi 2021 take ROOT = [CLS]): an arc to ROOT is found only when
 * pi(d) = [CLS]. The reverse direction would read the [CLS] row's argmax as "ROOT points at
 * its dependent", but that row is where [CLS] attends, which a head does whatever the tree, and
 * a positional pointer has no such row at all: crediting it would score heads by a rule the
 * baselines cannot meet. Heads and baselines both go through this one function.
 */
export function relationFound(
  pointer: (unit: number) => number,
  relation: LabelledRelation,
): boolean {
  const back = headIsWord(relation) ? pointer(relation.to) : undefined;
  return relation.from.some((unit) => pointer(unit) === relation.to || back === unit);
}
