import type { LabelVocabularies, Sentence } from '@stem/core';
import { isIntermediate } from '@stem/data';
import { NULL_LABEL, type LabelledBracket } from './labelled-brackets.js';

/**
 * The span label inventory (index 0 is NULL_LABEL) and which labels may stand where: the
 * whole-sentence span takes only labels seen on gold roots (`TOP+S`, ...), other spans only
 * labels seen below the root, width-1 spans no `X|<>` label and wider spans no NULL_LABEL.
 * These rules keep every decoded bracketing a well-formed tree.
 */
export class SpanLabels {
  readonly all: string[];
  private readonly index: Map<string, number>;
  private readonly root: Set<string>;
  private readonly inner: Set<string>;

  private constructor(all: string[], root: string[], inner: string[]) {
    this.all = all;
    this.index = new Map(all.map((label, i) => [label, i]));
    this.root = new Set(root);
    this.inner = new Set(inner);
  }

  /** From saved vocabularies (`labels()` of a trained head). */
  static fromVocabularies(vocabularies: LabelVocabularies): SpanLabels {
    const { labels, rootLabels, innerLabels } = vocabularies;
    if (!labels || !rootLabels || !innerLabels || labels[0] !== NULL_LABEL)
      throw new Error(
        `CON head: saved labels need "labels" (starting with ${NULL_LABEL}), "rootLabels" and "innerLabels"; got keys ${Object.keys(vocabularies).join(', ')}`,
      );
    return new SpanLabels([...labels], [...rootLabels], [...innerLabels]);
  }

  /** Collected from training trees, in order of first appearance (stable across runs). */
  static collect(
    sentences: readonly Sentence[],
    bracketsOf: (s: Sentence) => LabelledBracket[] | undefined,
  ): SpanLabels {
    const all = new Set<string>([NULL_LABEL]);
    const root = new Set<string>();
    const inner = new Set<string>();
    for (const sentence of sentences) {
      const brackets = bracketsOf(sentence);
      if (!brackets) continue;
      brackets.forEach((bracket, k) => {
        all.add(bracket.label);
        // Pre-order: the first bracket is the root.
        (k === 0 ? root : inner).add(bracket.label);
      });
    }
    inner.delete(NULL_LABEL);
    return new SpanLabels([...all], [...root], [...inner]);
  }

  vocabularies(): LabelVocabularies {
    return { labels: [...this.all], rootLabels: [...this.root], innerLabels: [...this.inner] };
  }

  indexOf(label: string): number | undefined {
    return this.index.get(label);
  }

  /** Whether `label` may label a span of the given width, at the root or not. */
  allowed(label: string, width: number, isRoot: boolean): boolean {
    if (isRoot) return this.root.has(label);
    if (label === NULL_LABEL) return width === 1;
    if (!this.inner.has(label)) return false;
    return width > 1 || !isIntermediate(label);
  }

  /** The best allowed label given scores over `all`. */
  best(scores: ArrayLike<number>, offset: number, width: number, isRoot: boolean): string {
    let bestLabel: string | undefined;
    let bestScore = -Infinity;
    this.all.forEach((label, c) => {
      const score = scores[offset + c] as number;
      if (score > bestScore && this.allowed(label, width, isRoot)) {
        bestScore = score;
        bestLabel = label;
      }
    });
    if (bestLabel === undefined)
      throw new Error(
        `CON head: no label may stand on a span of width ${width}${isRoot ? ' at the root' : ''} (were the training trees empty?)`,
      );
    return bestLabel;
  }
}
