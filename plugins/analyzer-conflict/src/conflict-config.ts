import type { Zod } from '@stem/core';

export const GRADIENT_CONFLICT_ID = 'stem.training.gradient-conflict.v1';

/**
 * Default measurement interval. One measurement costs one forward and backward pass per task
 * on `probeSentences` sentences, an update costs `accumulate` passes on up to
 * `maxSentencesPerBatch` (default 64) sentences; so the share of training time is about
 * tasks * probeSentences / (every * accumulate * 64). With the paper's five tasks and 32
 * probe sentences, every 20 updates gives 5 * 32 / (20 * 64) = 12.5% (under 15%).
 */
export const DEFAULT_MEASURE_EVERY = 20;
export const DEFAULT_PROBE_SENTENCES = 32;

/** Hugging Face / BERT names of the attention projections (`{layer}` is the layer index). */
export const BERT_ATTENTION_NAMES = {
  query: 'encoder/encoder.layer.{layer}.attention.self.query',
  key: 'encoder/encoder.layer.{layer}.attention.self.key',
  value: 'encoder/encoder.layer.{layer}.attention.self.value',
  output: 'encoder/encoder.layer.{layer}.attention.output.dense',
} as const;

export function gradientConflictConfigSchema(z: Zod) {
  const name = (what: string, fallback: string) =>
    z
      .string()
      .includes('{layer}')
      .default(fallback)
      .describe(
        `Gradient key of the ${what} projection (without ".weight" / ".bias"), "{layer}" standing for the layer index.`,
      );
  return z.object({
    every: z
      .int()
      .min(1)
      .default(DEFAULT_MEASURE_EVERY)
      .describe(
        'Measure after every this many optimiser updates (default 20: about 12.5% of the training time with five tasks, see the README).',
      ),
    probeSentences: z
      .int()
      .min(1)
      .default(DEFAULT_PROBE_SENTENCES)
      .describe(
        "Sentences of each task's fixed probe batch, drawn once from its training data by the run's seeded stream.",
      ),
    includeGates: z
      .boolean()
      .default(true)
      .describe(
        "Add each head's gate (the gradient of any training component weight shaped [layers, heads], e.g. pruning's log_alpha) to its slice.",
      ),
    weights: z
      .object({
        query: name('query', BERT_ATTENTION_NAMES.query),
        key: name('key', BERT_ATTENTION_NAMES.key),
        value: name('value', BERT_ATTENTION_NAMES.value),
        output: name('attention output', BERT_ATTENTION_NAMES.output),
      })
      .prefault({})
      .describe(
        'Where the attention weights are: kernels [hidden, heads x headSize] for query/key/value and [heads x headSize, hidden] for the output.',
      ),
  });
}

export type GradientConflictConfig = ReturnType<
  ReturnType<typeof gradientConflictConfigSchema>['parse']
>;
