import * as tf from '@tensorflow/tfjs';
import type { Sentence } from '@stem/core';
import { beforeAll, describe, expect, it } from 'vitest';
import { runAttentionProbe } from '../src/probes/attention-probe.js';
import { positionalBaselines } from '../src/probes/positional-baselines.js';
import {
  attentionRelations,
  relationFound,
  type LabelledRelation,
} from '../src/probes/probe-items.js';
import type { BaselineScores, ProbeResult } from '../src/probes/probe-result.js';
import { ScriptedEncoder, type ScriptedSentence } from './support/scripted-encoder.js';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

function dep(id: string, words: string[], heads: number[], relations: string[]): Sentence {
  return { id, words, annotations: { dep: { heads, relations } } };
}

// "chase" and "small" and "rains" have five letters: two sub-words each.
const S1 = dep(
  's1',
  ['Dogs', 'chase', 'small', 'cats'],
  [2, 0, 4, 2],
  ['nsubj', 'root', 'amod', 'obj'],
);
const S2 = dep('s2', ['It', 'rains'], [2, 0], ['expl', 'root']);
const byText = new Map([S1, S2].map((s) => [s.words.join(' '), s]));

/** Sub-word rows of a sentence where each query sub-word's attention is given by `row`. */
function matrix(s: ScriptedSentence, row: (unit: number, piece: number) => number[]): number[][] {
  const units: Array<readonly [number, number]> = [[0, 0], ...s.spans];
  const rows: number[][] = Array.from({ length: s.length }, () => new Array(s.length).fill(0));
  units.forEach(([first, last], u) => {
    for (let q = first; q <= last; q++) rows[q] = row(u, q - first);
  });
  // [SEP] attends to itself.
  rows[s.length - 1]![s.length - 1] = 1;
  return rows;
}

function oneHot(length: number, at: number, value = 1): number[] {
  const v = new Array(length).fill(0);
  v[at] = value;
  return v;
}

/**
 * Layer 0: head 0 points every word to the first sub-word of its gold head (ROOT -> [CLS]);
 * head 1 to the last sub-word of the previous unit. Layer 1 tests the pooling rules (S1) and
 * the "pi(g) = d" half of the rule; rows that attend only to [SEP] pool to all zeros.
 */
function script(s: ScriptedSentence): number[][][][] {
  const gold = byText.get(s.words.join(' '))!;
  const heads = gold.annotations.dep!.heads;
  const first = (unit: number) => (unit === 0 ? 0 : s.spans[unit - 1]![0]);
  const last = (unit: number) => (unit === 0 ? 0 : s.spans[unit - 1]![1]);
  const sep = s.length - 1;
  const toGold = matrix(s, (u) => oneHot(s.length, u === 0 ? 0 : first(heads[u - 1]!)));
  const toPrevious = matrix(s, (u) => oneHot(s.length, u === 0 ? 0 : last(u - 1)));
  const isS1 = gold === S1;
  // Layer 1 head 0 on S1: Dogs spreads 0.3 + 0.3 over chase's two pieces and 0.4 on cats
  // (summing keys picks chase); small's pieces point to cats (1.0) and Dogs 0.6 / cats 0.4
  // (averaging queries picks cats); everything else attends to [SEP].
  const pooling = matrix(s, (u, piece) => {
    if (!isS1) return oneHot(s.length, sep);
    if (u === 1) {
      const row = new Array(s.length).fill(0);
      row[first(2)] = 0.3;
      row[last(2)] = 0.3;
      row[first(4)] = 0.4;
      return row;
    }
    if (u === 3) {
      const row = new Array(s.length).fill(0);
      if (piece === 0) row[first(4)] = 1;
      else [row[first(1)], row[first(4)]] = [0.6, 0.4];
      return row;
    }
    return oneHot(s.length, sep);
  });
  // Layer 1 head 1 on S1: chase -> cats, cats -> small (heads pointing at dependents).
  const reverse = matrix(s, (u) => {
    if (isS1 && u === 2) return oneHot(s.length, first(4));
    if (isS1 && u === 4) return oneHot(s.length, first(3));
    return oneHot(s.length, sep);
  });
  return [
    [toGold, toPrevious],
    [pooling, reverse],
  ];
}

function accuracyOf(result: ProbeResult, label: string): number[][] {
  return result.labels.find((l) => l.label === label)!.accuracy;
}

describe('attention probe', () => {
  it('applies "pi(d) = g or pi(g) = d" with ROOT = [CLS], the reverse only from a word', () => {
    const arc = { label: 'x', from: [3], to: 1 };
    expect(relationFound((u) => [0, 0, 0, 1][u]!, arc)).toBe(true); // pi(d) = g
    expect(relationFound((u) => [0, 3, 0, 0][u]!, arc)).toBe(true); // pi(g) = d
    expect(relationFound((u) => [0, 2, 0, 2][u]!, arc)).toBe(false);
    const root = attentionRelations('dep', S2) as LabelledRelation[];
    expect(root[1]).toEqual({ label: 'root', from: [2], to: 0 });
    // An arc to ROOT: found when the root word points at [CLS], not when [CLS] points at it.
    expect(relationFound((u) => [1, 2, 0][u]!, root[1]!)).toBe(true);
    expect(relationFound((u) => [2, 1, 1][u]!, root[1]!)).toBe(false);
    // SRL: argument [b, e] found when any of its words points to the predicate or back.
    const argument = { label: 'ARG1', from: [2, 3, 4], to: 1 };
    expect(relationFound((u) => [9, 9, 9, 1, 9][u]!, argument)).toBe(true);
    expect(relationFound((u) => [9, 4, 9, 9, 9][u]!, argument)).toBe(true);
    expect(relationFound((u) => [9, 0, 0, 0, 0][u]!, argument)).toBe(false);
  });

  it('scores hand-made heads on DEP exactly as computed by hand', async () => {
    const encoder = new ScriptedEncoder(tf, {
      layers: 2,
      heads: 2,
      headSize: 2,
      attention: script,
    });
    const before = tf.memory().numTensors;
    const result = await runAttentionProbe(tf, encoder, {
      task: 'dep',
      split: 'test',
      sentences: [S1, S2],
      limits: { maxSentences: 1, maxSubwords: 100 },
    });
    expect(tf.memory().numTensors).toBe(before);
    expect(result.items).toBe(6);
    // Head (0, 0) points every dependent to its head: 100% on every relation.
    expect(result.weightedAccuracy[0]![0]).toBe(1);
    for (const label of result.labels) expect(label.accuracy[0]![0]).toBe(1);
    // Layer 1 head 0: nsubj (summed keys), root (zero rows -> ROOT), amod (averaged queries).
    expect(accuracyOf(result, 'nsubj')[1]![0]).toBe(1);
    expect(accuracyOf(result, 'root')[1]![0]).toBe(1);
    expect(accuracyOf(result, 'amod')[1]![0]).toBe(1);
    expect(accuracyOf(result, 'obj')[1]![0]).toBe(0);
    expect(accuracyOf(result, 'expl')[1]![0]).toBe(0);
    expect(result.weightedAccuracy[1]![0]).toBeCloseTo(4 / 6, 10);
    // Layer 1 head 1: obj and amod by pi(g) = d; root found only in S2 (its zero row).
    expect(accuracyOf(result, 'obj')[1]![1]).toBe(1);
    expect(accuracyOf(result, 'amod')[1]![1]).toBe(1);
    expect(accuracyOf(result, 'nsubj')[1]![1]).toBe(0);
    expect(accuracyOf(result, 'root')[1]![1]).toBe(0.5);
    expect(result.weightedAccuracy[1]![1]).toBeCloseTo(3 / 6, 10);
    // Labels most frequent first; the best head per label; the macro average of the best.
    expect(result.labels[0]).toMatchObject({ label: 'root', count: 2 });
    expect(result.labels.find((l) => l.label === 'obj')!.best).toEqual({
      layer: 0,
      head: 0,
      accuracy: 1,
    });
    expect(result.bestHead).toEqual({ layer: 0, head: 0, accuracy: 1 });
    expect(result.macroBestAccuracy).toBe(1);
    // Without the two root arcs: 4 arcs; layer 1's heads find 2 of them each, head (0, 1) 3.
    expect(result.rootExcluded!.items).toBe(4);
    expect(result.rootExcluded!.weightedAccuracy).toEqual([
      [1, 0.75],
      [0.5, 0.5],
    ]);
    expect(result.rootExcluded!.bestHead).toEqual({ layer: 0, head: 0, accuracy: 1 });
    // Head (0, 1) attends to the previous unit, so it equals the previous-word baseline here
    // (its first word points at [CLS], the baseline's nowhere: no arc here tells them apart).
    const previous = result.baselines!.find((b) => b.name === 'previous word')!;
    expect(previous.accuracy).toBeCloseTo(3 / 6, 10);
    expect(previous.rootExcludedAccuracy).toBe(0.75);
    expect(previous.labels).toEqual({ nsubj: 1, root: 0, amod: 1, obj: 0, expl: 1 });
    for (const label of result.labels)
      expect(label.accuracy[0]![1]).toBeCloseTo(previous.labels[label.label]!, 10);
  });

  it('scores the adjacent-word baselines by hand', () => {
    const relations = [S1, S2].map((s) => attentionRelations('dep', s) as never);
    const [previous, next] = positionalBaselines([4, 2], relations);
    expect(previous!.labels).toEqual({ nsubj: 1, root: 0, amod: 1, obj: 0, expl: 1 });
    // Next word: pi(1) = 2 finds Dogs -> chase and It -> rains; pi(3) = 4 finds small -> cats.
    expect(next!.labels).toEqual({ nsubj: 1, root: 0, amod: 1, obj: 0, expl: 1 });
    // A sentence whose first word hangs off ROOT: no offset maps a word to [CLS], so no
    // positional row finds it (the previous word of the first word is nowhere).
    const rooted = [[{ label: 'root', from: [1], to: 0 }]];
    expect(positionalBaselines([2], rooted).map((b) => b.accuracy)).toEqual([0, 0, 0]);
  });

  it('finds the best fixed offset of each label by hand', () => {
    const relations = [S1, S2].map((s) => attentionRelations('dep', s) as never);
    const best = positionalBaselines([4, 2], relations)[2]!;
    expect(best.name).toBe('best fixed offset per label');
    // No offset reaches ROOT: root stays at 0 with the first offset tried (-1). obj cats ->
    // chase is 2 words back: offset -2 finds it (pi(cats) = chase; offset +2 would need
    // pi(chase) = cats, which it also gives).
    expect(best.offsets).toEqual({ nsubj: -1, root: -1, amod: -1, obj: -2, expl: -1 });
    expect(best.labels).toEqual({ nsubj: 1, root: 0, amod: 1, obj: 1, expl: 1 });
    // 4 of the 6 arcs; all 4 arcs whose head is a word.
    expect(best.accuracy).toBeCloseTo(4 / 6, 12);
    expect(best.rootExcludedAccuracy).toBe(1);
  });

  it('scores every offset as a brute-force pointer scan would', () => {
    // Random head assignments (not trees); labels by arc length: short, mid, long.
    let state = 7;
    const draw = (n: number) => {
      state = (state * 1103515245 + 12345) % 2147483648;
      return state % n;
    };
    const sentences: Array<Array<{ label: string; from: number[]; to: number }>> = [];
    const lengths: number[] = [];
    for (let s = 0; s < 40; s++) {
      const words = 1 + draw(12);
      lengths.push(words);
      sentences.push(
        Array.from({ length: words }, (_, w) => {
          let head = draw(words + 1);
          if (head === w + 1) head = 0;
          const label = ['short', 'mid', 'long'][
            Math.min(2, Math.floor(Math.abs(head - w - 1) / 3))
          ]!;
          return { label, from: [w + 1], to: head };
        }),
      );
    }
    const [previous, next, best] = positionalBaselines(lengths, sentences) as [
      BaselineScores,
      BaselineScores,
      BaselineScores,
    ];
    // Brute force: for each offset, walk every arc and test pi(d) = g or (g a word) pi(g) = d.
    const scan = (offset: number, label: string) => {
      let total = 0;
      let correct = 0;
      sentences.forEach((arcs, s) => {
        const words = lengths[s]!;
        const pi = (u: number) =>
          u >= 1 && u + offset >= 1 && u + offset <= words ? u + offset : -1;
        for (const arc of arcs)
          if (arc.label === label) {
            total += 1;
            if (pi(arc.from[0]!) === arc.to || (arc.to !== 0 && pi(arc.to) === arc.from[0]))
              correct += 1;
          }
      });
      return correct / total;
    };
    for (const label of ['short', 'mid', 'long']) {
      expect(previous!.labels[label]).toBeCloseTo(scan(-1, label), 12);
      expect(next!.labels[label]).toBeCloseTo(scan(1, label), 12);
      const offsets = Array.from({ length: 32 }, (_, k) => (k < 16 ? -(k + 1) : k - 15));
      const top = Math.max(...offsets.map((o) => scan(o, label)));
      expect(best.labels[label]).toBeCloseTo(top, 12);
      expect(scan(best.offsets![label]!, label)).toBeCloseTo(top, 12);
    }
  });

  it('scores a root arc by one ROOT rule for heads and positional baselines', async () => {
    // "Stop the car now": units ROOT 0, Stop 1, the 2, car 3, now 4 (one sub-word each, so
    // sub-word k is unit k). Arcs (d, g): root (1, 0), det (2, 3), obj (3, 1), advmod (4, 1).
    const sentence = dep(
      'imperative',
      ['Stop', 'the', 'car', 'now'],
      [0, 3, 1, 1],
      ['root', 'det', 'obj', 'advmod'],
    );
    // Hand-written argmax per head, pi[unit]. Head A: [CLS] -> Stop (the old rule's credit
    // for the root arc), Stop -> the, the -> car, car -> now, now -> Stop. Head B: [CLS] and
    // Stop -> [CLS], the -> car, car -> Stop, now -> car.
    const headA = [1, 2, 3, 4, 1];
    const headB = [0, 0, 3, 1, 3];
    const encoder = new ScriptedEncoder(tf, {
      layers: 1,
      heads: 2,
      headSize: 2,
      attention: (s) => {
        const rows = (pi: number[]) =>
          Array.from({ length: s.length }, (_, q) => oneHot(s.length, pi[q] ?? s.length - 1));
        return [[rows(headA), rows(headB)]];
      },
    });
    const result = await runAttentionProbe(tf, encoder, {
      task: 'dep',
      split: 'test',
      sentences: [sentence],
      limits: { maxSentences: 1, maxSubwords: 100 },
    });
    const root = (attentionRelations('dep', sentence) as LabelledRelation[])[0]!;
    // The old rule also took pi(ROOT) = d: head A's [CLS] row points at Stop. Not any more.
    expect(headA[root.to]).toBe(root.from[0]);
    expect(relationFound((u) => headA[u]!, root)).toBe(false);
    expect(relationFound((u) => headB[u]!, root)).toBe(true); // pi(Stop) = [CLS]
    // Head A: det by pi(the) = car, advmod by pi(now) = Stop; obj missed (pi(car) = now,
    // pi(Stop) = the), root missed: 2 of 4 (the old rule gave 3 of 4).
    const perLabel = (head: number) =>
      Object.fromEntries(result.labels.map((l) => [l.label, l.accuracy[0]![head]]));
    expect(perLabel(0)).toEqual({ advmod: 1, det: 1, obj: 0, root: 0 });
    // Head B: root by pi(Stop) = [CLS], det by pi(the) = car, obj by pi(car) = Stop; advmod
    // missed (pi(now) = car, pi(Stop) = [CLS]): 3 of 4.
    expect(perLabel(1)).toEqual({ advmod: 0, det: 1, obj: 1, root: 1 });
    expect(result.weightedAccuracy).toEqual([[0.5, 0.75]]);
    expect(result.bestHead).toEqual({ layer: 0, head: 1, accuracy: 0.75 });
    // ROOT excluded (det, obj, advmod): 2 of 3 for either head; the first one on ties.
    expect(result.rootExcluded).toEqual({
      items: 3,
      weightedAccuracy: [[2 / 3, 2 / 3]],
      bestHead: { layer: 0, head: 0, accuracy: 2 / 3 },
    });
    const [previous, next, offset] = result.baselines!;
    // Previous word: Stop -> nowhere, the -> Stop, car -> the, now -> car. det by the reverse
    // pi(car) = the; root missed (no word points at [CLS]); obj and advmod missed.
    expect(previous).toEqual({
      name: 'previous word',
      accuracy: 0.25,
      rootExcludedAccuracy: 1 / 3,
      labels: { root: 0, det: 1, obj: 0, advmod: 0 },
    });
    // Next word: Stop -> the, the -> car, car -> now, now -> nowhere. det only.
    expect(next).toMatchObject({
      accuracy: 0.25,
      rootExcludedAccuracy: 1 / 3,
      labels: { root: 0, det: 1, obj: 0, advmod: 0 },
    });
    // Per label: det at -1 (pi(car) = the), obj at -2 (pi(car) = Stop), advmod at -3
    // (pi(now) = Stop); root at none (0 at every offset; -1 is the first tried).
    expect(offset).toEqual({
      name: 'best fixed offset per label',
      accuracy: 0.75,
      rootExcludedAccuracy: 1,
      labels: { root: 0, det: 1, obj: 1, advmod: 1 },
      offsets: { root: -1, det: -1, obj: -2, advmod: -3 },
    });
  });

  it('counts sentences without the layer as skipped, not as misses', async () => {
    const encoder = new ScriptedEncoder(tf, {
      layers: 2,
      heads: 2,
      headSize: 2,
      attention: script,
    });
    const bare: Sentence = { id: 'bare', words: ['No', 'tree'], annotations: {} };
    const result = await runAttentionProbe(tf, encoder, {
      task: 'dep',
      split: 'test',
      sentences: [S1, bare, S2],
      limits: { maxSentences: 8, maxSubwords: 1000 },
    });
    expect(result.sentences).toBe(2);
    expect(result.skipped).toEqual({ 'missing-layer': 1 });
    expect(result.items).toBe(6);
  });
});
