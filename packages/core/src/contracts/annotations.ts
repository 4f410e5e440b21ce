/**
 * Plain-data shapes of the annotation layers. Readers in @stem/data produce them, task heads
 * consume them; nothing here depends on tfjs. Core types the five layers of the paper (plus
 * UPOS); the set is open: a plugin adds its own layer by augmenting `Annotations` (see there),
 * and at run time core treats every key of `Sentence.annotations` alike.
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

/**
 * The annotation layers, by name. Open for plugins through TypeScript module augmentation,
 * which keeps the five typed and types the new one everywhere (`requires`, `layers`,
 * `sentence.annotations.chunks`):
 *
 * ```ts
 * declare module '@stem/core' {
 *   interface Annotations {
 *     chunks: LabeledSpan[];
 *   }
 * }
 * ```
 *
 * Core never enumerates layers: a head's `requires` is checked by key, predictions are
 * written under the head's key, and plain-JavaScript plugins may use any key.
 */
export interface Annotations {
  pos: string[];
  upos: string[];
  dep: DependencyTree;
  con: TreeNode;
  ner: LabeledSpan[];
  srl: SrlFrame[];
}

/** A layer's name: one of core's five (pos, upos, dep, con, ner, srl) or a plugin's own. */
export type AnnotationLayer = keyof Annotations;

export interface Sentence {
  /** Stable id from the source (CoNLL-U sent_id, CoNLL-2012 doc/part/index, ...). */
  id: string;
  words: string[];
  annotations: Partial<Annotations>;
}

export type Split = 'train' | 'dev' | 'test';
export const SPLITS: readonly Split[] = ['train', 'dev', 'test'];
