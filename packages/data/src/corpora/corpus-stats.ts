/** Sentence and token counts per split and label inventories (with counts) per layer. */
import type { Sentence, Split, TreeNode } from '@stem/core';
import type { CorpusReader } from './corpus-reader.js';
import { CORPUS_SPLITS } from './splits.js';

export interface SplitCounts {
  sentences: number;
  tokens: number;
}

export interface CorpusStats {
  location: string;
  layers: string[];
  splits: Record<Split, SplitCounts>;
  /** Per layer, label → count over all splits, most frequent first. */
  labels: Record<string, Record<string, number>>;
  /** SRL predicates (frames) over all splits, when the corpus has SRL. */
  predicates?: number;
  report?: Record<string, unknown>;
}

export async function corpusStats(
  reader: CorpusReader,
  onSplit?: (split: Split) => void,
): Promise<CorpusStats> {
  const splits = {} as Record<Split, SplitCounts>;
  const counters = new Map<string, Map<string, number>>();
  let predicates: number | undefined;
  const count = (layer: string, label: string): void => {
    let counter = counters.get(layer);
    if (!counter) counters.set(layer, (counter = new Map()));
    counter.set(label, (counter.get(label) ?? 0) + 1);
  };
  for (const split of CORPUS_SPLITS) {
    onSplit?.(split);
    const sentences = await reader.read(split);
    splits[split] = {
      sentences: sentences.length,
      tokens: sentences.reduce((n, s) => n + s.words.length, 0),
    };
    for (const sentence of sentences) {
      countSentence(sentence, count);
      if (sentence.annotations.srl)
        predicates = (predicates ?? 0) + sentence.annotations.srl.length;
    }
  }
  const labels: CorpusStats['labels'] = {};
  for (const [layer, counter] of counters) {
    labels[layer] = Object.fromEntries(
      [...counter].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1)),
    );
  }
  const report = await reader.report?.();
  return {
    location: reader.location,
    layers: [...reader.layers],
    splits,
    labels,
    ...(predicates !== undefined ? { predicates } : {}),
    ...(report ? { report } : {}),
  };
}

function countSentence(sentence: Sentence, count: (layer: string, label: string) => void): void {
  const a = sentence.annotations;
  for (const tag of a.pos ?? []) count('pos', tag);
  for (const tag of a.upos ?? []) count('upos', tag);
  for (const relation of a.dep?.relations ?? []) count('dep', relation);
  if (a.con) countPhrases(a.con, (label) => count('con', label));
  for (const frame of a.srl ?? [])
    for (const argument of frame.arguments) count('srl', argument.role);
  for (const entity of a.ner ?? []) count('ner', entity.label);
  for (const [layer, value] of Object.entries(a))
    if (!CORE_LAYERS.has(layer)) countPluginLayer(layer, value, count);
}

const CORE_LAYERS = new Set(['pos', 'upos', 'dep', 'con', 'srl', 'ner']);

/**
 * A plugin's own layer (`chunks`, ...) is counted when its shape says what its labels are: a
 * list of strings (tags) or a list of objects with a string `label` (spans). Other shapes are
 * listed under `layers` without label counts.
 */
function countPluginLayer(
  layer: string,
  value: unknown,
  count: (layer: string, label: string) => void,
): void {
  if (!Array.isArray(value)) return;
  for (const item of value) {
    if (typeof item === 'string') count(layer, item);
    else if (item && typeof (item as { label?: unknown }).label === 'string')
      count(layer, (item as { label: string }).label);
  }
}

function countPhrases(node: TreeNode, count: (label: string) => void): void {
  if (node.word !== undefined) return;
  count(node.label);
  for (const child of node.children) countPhrases(child, count);
}
