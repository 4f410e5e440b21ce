import type { ProbeTask } from '../probe-config.js';

export const PROBE_RESULT_FORMAT = 'stem.probe-result.v1';

export interface HeadScore {
  /** From 0. */
  layer: number;
  /** From 0. */
  head: number;
  /** Fraction in [0, 1]. */
  accuracy: number;
}

export interface LabelScores {
  label: string;
  /** Gold occurrences of the label in the scored split. */
  count: number;
  /** [layer][head], fractions in [0, 1]. */
  accuracy: number[][];
  /** The head with the highest accuracy on this label (the first one on ties). */
  best: HeadScore;
}

export interface BaselineScores {
  /** e.g. "previous word": every word attends to the word before it. */
  name: string;
  /** Over all items (frequency-weighted). */
  accuracy: number;
  /**
   * Over the relations whose head is a word, with the same pointer (and, for the per-label row,
   * the same offset per label): DEP leaves its arcs to ROOT out; for SRL (a predicate is always
   * a word) it equals `accuracy`. Absent in results written before it.
   */
  rootExcludedAccuracy?: number;
  labels: Record<string, number>;
  /** Per label, the word offset the row used (the per-label positional reference only). */
  offsets?: Record<string, number>;
}

/** What `stem probe` writes to `probe-<task>.json`. Accuracies are fractions in [0, 1]. */
export interface ProbeResult {
  format: typeof PROBE_RESULT_FORMAT;
  probe: 'attention' | 'centroid';
  task: ProbeTask;
  /** Scored split. */
  split: string;
  /** Split the centroids were fitted on (centroid probe only). */
  fit?: string;
  /** Free-form description of the model and data, filled by the caller (CLI). */
  source?: { model?: string; kind?: string; dataset?: string; [key: string]: unknown };
  layers: number;
  heads: number;
  sentences: number;
  /** Sentences left out, by reason. */
  skipped: Record<string, number>;
  /** Items scored (words, spans, arcs, arguments). */
  items: number;
  /** Per label, most frequent first. */
  labels: LabelScores[];
  /** [layer][head]: accuracy over all items (= per-label accuracy weighted by label frequency). */
  weightedAccuracy: number[][];
  /** The head with the highest weighted accuracy. */
  bestHead: HeadScore;
  /** Mean over labels of the best head's accuracy (the paper's per-label best, macro-averaged). */
  macroBestAccuracy: number;
  /** Reference rows that use no model (attention probe: adjacent words, best offset per label). */
  baselines?: BaselineScores[];
  /**
   * DEP attention probe: the same heads scored on the arcs whose head is a word only (ROOT
   * arcs left out), beside the all-arcs `weightedAccuracy` / `bestHead`. Absent in older
   * results and for the other tasks.
   */
  rootExcluded?: RootExcludedScores;
}

/** Head accuracy over the DEP arcs whose head is a word (no arc to ROOT). */
export interface RootExcludedScores {
  /** Arcs scored (the result's items less its arcs to ROOT). */
  items: number;
  /** [layer][head], fractions in [0, 1]. */
  weightedAccuracy: number[][];
  /** The head with the highest accuracy on these arcs (the first one on ties). */
  bestHead: HeadScore;
}

/** Correct / total per (label, head) while batches stream past. */
export class LabelHeadCounts {
  private readonly counts = new Map<string, { total: number; correct: Float64Array }>();

  constructor(
    readonly layers: number,
    readonly heads: number,
  ) {}

  /** One item of `label`; `correct(index)` says whether head index = layer * heads + head got it. */
  add(label: string, correct: (headIndex: number) => boolean): void {
    let entry = this.counts.get(label);
    if (!entry) {
      entry = { total: 0, correct: new Float64Array(this.layers * this.heads) };
      this.counts.set(label, entry);
    }
    entry.total += 1;
    for (let i = 0; i < entry.correct.length; i++) if (correct(i)) entry.correct[i]! += 1;
  }

  get items(): number {
    let n = 0;
    for (const { total } of this.counts.values()) n += total;
    return n;
  }

  summarize(): Pick<
    ProbeResult,
    'labels' | 'weightedAccuracy' | 'bestHead' | 'macroBestAccuracy' | 'items'
  > {
    const grid = (values: ArrayLike<number>, scale: number): number[][] =>
      Array.from({ length: this.layers }, (_, l) =>
        Array.from(
          { length: this.heads },
          (_, h) => (values[l * this.heads + h] as number) / scale,
        ),
      );
    const best = (accuracy: number[][]): HeadScore => {
      let top: HeadScore = { layer: 0, head: 0, accuracy: -1 };
      accuracy.forEach((row, layer) =>
        row.forEach((value, head) => {
          if (value > top.accuracy) top = { layer, head, accuracy: value };
        }),
      );
      return top;
    };
    const entries = [...this.counts.entries()].sort(
      ([a, x], [b, y]) => y.total - x.total || (a < b ? -1 : a > b ? 1 : 0),
    );
    const labels = entries.map(([label, { total, correct }]) => {
      const accuracy = grid(correct, total);
      return { label, count: total, accuracy, best: best(accuracy) };
    });
    const all = new Float64Array(this.layers * this.heads);
    for (const [, { correct }] of entries) correct.forEach((v, i) => (all[i]! += v));
    const items = this.items;
    const weightedAccuracy = grid(all, Math.max(1, items));
    const macroBestAccuracy =
      labels.length === 0 ? 0 : labels.reduce((sum, l) => sum + l.best.accuracy, 0) / labels.length;
    return { labels, weightedAccuracy, bestHead: best(weightedAccuracy), macroBestAccuracy, items };
  }
}
