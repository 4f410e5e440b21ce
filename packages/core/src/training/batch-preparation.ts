import type { Sentence } from '../contracts/annotations.js';
import type { EncodeOptions, TokenizedBatch } from '../contracts/encoder.js';
import type { PreparedBatch, TaskHead } from '../contracts/task-head.js';
import { SeededRandom } from '../random/seeded-random.js';

/**
 * Seed of the evaluation streams handed to `prepareBatch`: fixed, not the run's seed, so
 * that heads which perturb their input (masked-LM) score every run on the same perturbation.
 */
export const EVALUATION_SEED = 20211107;

/** The head's batch transformation (masking...), or the batch as it is. */
export function prepareBatch(
  head: TaskHead,
  batch: { tokens: TokenizedBatch; sentences: readonly Sentence[] },
  random: SeededRandom,
  training: boolean,
): PreparedBatch {
  if (!head.prepareBatch) return { tokens: batch.tokens };
  return head.prepareBatch(batch.tokens, batch.sentences, { random, training });
}

/** The fixed stream of a split's evaluation batches (the same for every batch: heads fork it per sentence). */
export function evaluationRandom(split: string): SeededRandom {
  return new SeededRandom(EVALUATION_SEED).fork(`evaluation/${split}`);
}

/** Encode options of one call for a head: the caller's, plus the outputs the head asks for. */
export function encodeOptionsFor(head: TaskHead, options: EncodeOptions): EncodeOptions {
  return head.encodeOptions ? { ...head.encodeOptions, ...options } : options;
}

/** The loss/decode context entry carrying the prepared targets, when there are any. */
export function targetsOf(prepared: PreparedBatch): { targets?: unknown } {
  return prepared.targets === undefined ? {} : { targets: prepared.targets };
}
