import type { RegistrationFacade } from '@stem/core';

export const CHUNK_TASK_ID = 'stem-community.task.chunk.v1';
export const CONLL2000_DATASET_ID = 'stem-community.dataset.conll2000.v1';

export interface ChunkTaskConfig {
  dropout: number;
  decoding: 'viterbi' | 'argmax';
}

/** The task's config section, built with the zod that core hands in. */
export function chunkTaskSchema(z: RegistrationFacade['z']) {
  return z.object({
    dropout: z
      .number()
      .min(0)
      .max(0.9)
      .default(0.1)
      .describe('Dropout on the word vectors before the linear layer (training only).'),
    decoding: z
      .enum(['viterbi', 'argmax'])
      .default('viterbi')
      .describe(
        'viterbi: the best tag sequence in which every I-X continues an X chunk; argmax: the best tag per word (invalid I- tags then start chunks, as conlleval reads them).',
      ),
  });
}
