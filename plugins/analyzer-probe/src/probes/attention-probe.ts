import type { Encoder, Sentence, TensorFlow } from '@stem/core';
import type { AttentionTask } from '../probe-config.js';
import { attentionPointers } from '../pooling/word-attention.js';
import type { BatchLimits } from '../run/batch-plan.js';
import { streamEncoded, type ProgressReporter } from '../run/stream-encoder.js';
import {
  attentionRelations,
  headIsWord,
  relationFound,
  type LabelledRelation,
} from './probe-items.js';
import { LabelHeadCounts, PROBE_RESULT_FORMAT, type ProbeResult } from './probe-result.js';
import { positionalBaselines } from './positional-baselines.js';

export interface AttentionProbeRun {
  task: AttentionTask;
  split: string;
  sentences: readonly Sentence[];
  limits: BatchLimits;
  progress?: ProgressReporter;
}

/**
 * The attention probe (DEP arcs, SRL arguments): each head's word-level attention gives
 * pi(u) = argmax_k A(u, k); a relation counts as found by the head when the rule of
 * `relationFound` holds. Accuracy per label and head, beside positional baselines scored by
 * the same rule (previous word, next word, best fixed offset per label). DEP also gets the
 * ROOT-excluded scores (arcs whose head is a word), for heads and baselines alike.
 */
export async function runAttentionProbe(
  tf: TensorFlow,
  encoder: Encoder,
  run: AttentionProbeRun,
): Promise<ProbeResult> {
  const { layers, heads } = encoder.shape;
  const counts = new LabelHeadCounts(layers, heads);
  const wordHeaded = new LabelHeadCounts(layers, heads);
  const skipped: Record<string, number> = {};
  const usable: Sentence[] = [];
  const relations: LabelledRelation[][] = [];
  for (const sentence of run.sentences) {
    const found = attentionRelations(run.task, sentence);
    if (typeof found === 'string') skipped[found] = (skipped[found] ?? 0) + 1;
    else {
      usable.push(sentence);
      relations.push(found);
    }
  }
  await streamEncoded(
    tf,
    encoder,
    usable,
    { returnAttention: true },
    run.limits,
    ({ indices, tokens, output }) => {
      const { pointers, units } = attentionPointers(tf, output.attention ?? [], tokens);
      const batch = indices.length;
      indices.forEach((sentenceIndex, b) => {
        for (const relation of relations[sentenceIndex] as LabelledRelation[]) {
          const found = (headIndex: number) => {
            const layer = Math.floor(headIndex / heads);
            const base = ((layer * batch + b) * heads + (headIndex % heads)) * units;
            return relationFound((unit) => pointers[base + unit] as number, relation);
          };
          counts.add(relation.label, found);
          if (headIsWord(relation)) wordHeaded.add(relation.label, found);
        }
      });
    },
    run.progress,
    `${run.task} attention probe`,
  );
  const result: ProbeResult = {
    format: PROBE_RESULT_FORMAT,
    probe: 'attention',
    task: run.task,
    split: run.split,
    layers,
    heads,
    sentences: usable.length,
    skipped,
    ...counts.summarize(),
  };
  if (run.task === 'dep') {
    const { items, weightedAccuracy, bestHead } = wordHeaded.summarize();
    result.rootExcluded = { items, weightedAccuracy, bestHead };
  }
  result.baselines = positionalBaselines(
    usable.map((s) => s.words.length),
    relations,
  );
  return result;
}
