import type {
  Encoder,
  EncoderOutput,
  Sentence,
  Tensor,
  TensorFlow,
  TokenizedBatch,
} from '@stem/core';
import { planBatches, sliceBatch, type BatchLimits } from './batch-plan.js';

export interface StreamedBatch {
  /** Positions of the batch's sentences in the input list. */
  indices: number[];
  tokens: TokenizedBatch;
  output: EncoderOutput;
}

export type ProgressReporter = (message: string) => void;

/**
 * Encodes sentences batch by batch and hands each batch to `visit`, disposing its outputs
 * right after: at most one batch's attention / head contexts is alive at any time, however
 * long the split. Sub-word ids of the whole split are kept (small); tensors never are.
 */
export async function streamEncoded(
  tf: TensorFlow,
  encoder: Encoder,
  sentences: readonly Sentence[],
  request: { returnAttention?: boolean; returnHeadContexts?: boolean },
  limits: BatchLimits,
  visit: (batch: StreamedBatch) => void,
  progress: ProgressReporter = () => {},
  stage = 'probing',
): Promise<void> {
  if (sentences.length === 0) return;
  const tokens = await encoder.tokenize(sentences.map((s) => s.words));
  const batches = planBatches(
    tokens.subwordIds.map((ids) => ids.length),
    limits,
  );
  let done = 0;
  for (const [n, indices] of batches.entries()) {
    const slice = sliceBatch(tokens, indices);
    const output = encoder.encode(slice, { training: false, ...request });
    try {
      visit({ indices, tokens: slice, output });
    } finally {
      tf.dispose(Object.values(output).flat() as Tensor[]);
    }
    done += indices.length;
    progress(`${stage}: batch ${n + 1}/${batches.length}, ${done}/${sentences.length} sentences`);
    // Let the event loop breathe (progress output, signals) between batches.
    await new Promise((resolve) => setImmediate(resolve));
  }
}
