import type { Encoder, Sentence, Tensor, Tensor3D, TensorFlow, TokenizedBatch } from '@stem/core';
import type { CentroidTask } from '../probe-config.js';
import { poolItemContexts, type ContextItem } from '../pooling/item-contexts.js';
import type { BatchLimits } from '../run/batch-plan.js';
import { streamEncoded, type ProgressReporter } from '../run/stream-encoder.js';
import { centroidItems, type LabelledItem } from './probe-items.js';
import { LabelHeadCounts, PROBE_RESULT_FORMAT, type ProbeResult } from './probe-result.js';

export interface CentroidProbeRun {
  task: CentroidTask;
  split: string;
  sentences: readonly Sentence[];
  /** Sentences the centroids are fitted on; the scored ones when absent (as in the paper). */
  fit?: { split: string; sentences: readonly Sentence[] };
  limits: BatchLimits;
  progress?: ProgressReporter;
}

interface Prepared {
  sentences: Sentence[];
  items: LabelledItem[][];
  skipped: Record<string, number>;
}

function prepare(task: CentroidTask, sentences: readonly Sentence[]): Prepared {
  const out: Prepared = { sentences: [], items: [], skipped: {} };
  for (const sentence of sentences) {
    const items = centroidItems(task, sentence);
    if (typeof items === 'string') out.skipped[items] = (out.skipped[items] ?? 0) + 1;
    else {
      out.sentences.push(sentence);
      out.items.push(items);
    }
  }
  return out;
}

/**
 * Every item of a batch in every head: [items, layers * heads, headSize] (layer-major), with
 * the items' gold labels in the same order.
 */
function batchRepresentations(
  tf: TensorFlow,
  contexts: readonly Tensor[],
  tokens: TokenizedBatch,
  indices: readonly number[],
  items: readonly LabelledItem[][],
): { representations: Tensor3D; labels: string[] } | undefined {
  const flat: ContextItem[] = [];
  const labels: string[] = [];
  indices.forEach((sentenceIndex, b) => {
    for (const item of items[sentenceIndex] as LabelledItem[]) {
      flat.push({ sentence: b, words: item.words });
      labels.push(item.label);
    }
  });
  if (flat.length === 0) return undefined;
  const representations = tf.tidy(() =>
    tf.concat(
      contexts.map((layer) => poolItemContexts(tf, layer as never, tokens, flat)),
      1,
    ),
  ) as Tensor3D;
  return { representations, labels };
}

/**
 * The centroid probe (POS tags, NER spans, CON lowest phrases): a head's representation of
 * an item is its context vector (attention x V, before W_O) averaged over the item's
 * sub-words per word, then over its words. Pass 1 sums representations per label and head
 * (the centroids); pass 2 predicts, per head, the label whose centroid has the highest
 * cosine similarity. Two passes over the encoder instead of keeping 144 x 64 floats per word.
 */
export async function runCentroidProbe(
  tf: TensorFlow,
  encoder: Encoder,
  run: CentroidProbeRun,
): Promise<ProbeResult> {
  const { layers, heads } = encoder.shape;
  const scored = prepare(run.task, run.sentences);
  const fitting = run.fit ? prepare(run.task, run.fit.sentences) : scored;
  const request = { returnHeadContexts: true };

  // Pass 1: label sums, [label] -> Float64Array(layers * heads * headSize).
  const labelIndex = new Map<string, number>();
  const sums: Float64Array[] = [];
  let size = 0;
  await streamEncoded(
    tf,
    encoder,
    fitting.sentences,
    request,
    run.limits,
    ({ indices, tokens, output }) => {
      const batch = batchRepresentations(
        tf,
        output.headContexts ?? [],
        tokens,
        indices,
        fitting.items,
      );
      if (!batch) return;
      const { representations, labels } = batch;
      size = representations.shape[2];
      const ids = labels.map((label) => {
        if (!labelIndex.has(label)) {
          labelIndex.set(label, labelIndex.size);
          sums.push(new Float64Array(layers * heads * size));
        }
        return labelIndex.get(label) as number;
      });
      const data = representations.dataSync();
      representations.dispose();
      const stride = layers * heads * size;
      ids.forEach((id, n) => {
        const sum = sums[id] as Float64Array;
        for (let k = 0; k < stride; k++) sum[k]! += data[n * stride + k] as number;
      });
    },
    run.progress,
    `${run.task} centroid probe: fitting on ${run.fit?.split ?? run.split}`,
  );

  // Centroids as unit vectors, [layers * heads, labels, headSize]; cosine = dot product then.
  const labelCount = labelIndex.size;
  const counts = new LabelHeadCounts(layers, heads);
  if (labelCount > 0) {
    const centroidData = new Float32Array(layers * heads * labelCount * size);
    sums.forEach((sum, label) => {
      for (let unit = 0; unit < layers * heads; unit++) {
        let norm = 0;
        for (let k = 0; k < size; k++) norm += (sum[unit * size + k] as number) ** 2;
        const scale = norm > 0 ? 1 / Math.sqrt(norm) : 0;
        for (let k = 0; k < size; k++)
          centroidData[(unit * labelCount + label) * size + k] =
            (sum[unit * size + k] as number) * scale;
      }
    });
    const centroids = tf.tensor3d(centroidData, [layers * heads, labelCount, size]);
    try {
      // Pass 2: predictions per item and head.
      await streamEncoded(
        tf,
        encoder,
        scored.sentences,
        request,
        run.limits,
        ({ indices, tokens, output }) => {
          const batch = batchRepresentations(
            tf,
            output.headContexts ?? [],
            tokens,
            indices,
            scored.items,
          );
          if (!batch) return;
          const { representations, labels } = batch;
          const items = labels.length;
          // The item's own norm does not change which centroid wins, so only centroids are normalised.
          const predicted = tf.tidy(() =>
            tf.argMax(
              tf.matMul(tf.transpose(representations, [1, 0, 2]), centroids, false, true),
              -1,
            ),
          );
          representations.dispose();
          const best = predicted.dataSync();
          predicted.dispose();
          labels.forEach((label, n) => {
            const gold = labelIndex.get(label) ?? -1;
            counts.add(label, (headIndex) => best[headIndex * items + n] === gold);
          });
        },
        run.progress,
        `${run.task} centroid probe: scoring ${run.split}`,
      );
    } finally {
      centroids.dispose();
    }
  }
  const skipped: Record<string, number> = { ...scored.skipped };
  return {
    format: PROBE_RESULT_FORMAT,
    probe: 'centroid',
    task: run.task,
    split: run.split,
    fit: run.fit?.split ?? run.split,
    layers,
    heads,
    sentences: scored.sentences.length,
    skipped,
    ...counts.summarize(),
  };
}
