/**
 * Plain-data shapes of the five annotation layers. Readers in @stem/data produce them,
 * task heads consume them; nothing here depends on tfjs.
 *
 * Index conventions: word indices are 0-based; spans are half-open `[start, end)`.
 * Dependency heads are 1-based with 0 meaning ROOT, as in CoNLL-U.
 */

/** A constituency tree node. A pre-terminal has `word` set, its POS as `label`, no children. */
export interface TreeNode {
  label: string;
  children: TreeNode[];
  word?: string;
}

export interface DependencyTree {
  /** heads[i] is the 1-based index of word i's head, 0 for ROOT. */
  heads: number[];
  relations: string[];
}

export interface LabeledSpan {
  start: number;
  end: number;
  label: string;
}

export interface SrlArgument {
  start: number;
  end: number;
  role: string;
}

export interface SrlFrame {
  /** Index of the predicate word. */
  predicate: number;
  lemma?: string;
  roleset?: string;
  /** Arguments without V / C-V (the predicate itself). */
  arguments: SrlArgument[];
}

export interface Annotations {
  pos: string[];
  upos: string[];
  dep: DependencyTree;
  con: TreeNode;
  ner: LabeledSpan[];
  srl: SrlFrame[];
}

export type AnnotationLayer = keyof Annotations;

export interface Sentence {
  /** Stable id from the source (CoNLL-U sent_id, CoNLL-2012 doc/part/index, ...). */
  id: string;
  words: string[];
  annotations: Partial<Annotations>;
}

export type Split = 'train' | 'dev' | 'test';
export const SPLITS: readonly Split[] = ['train', 'dev', 'test'];
