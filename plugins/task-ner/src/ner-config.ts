import type { Zod } from '@stem/core';

export const NER_TASK_ID = 'stem.task.ner.biaffine.v1';

export function nerConfigSchema(z: Zod) {
  return z.object({
    projectionSize: z
      .number()
      .int()
      .positive()
      .default(150)
      .describe(
        'Size of the start and end projections s_i = W_s h_i and e_j = W_e h_j (no activation; 150 in the paper).',
      ),
    maxSpanWidth: z
      .number()
      .int()
      .positive()
      .optional()
      .describe(
        'Longest span (in words) that is scored and predicted; unset = every span i <= j of the sentence. Wider gold entities are left out of the loss and count as misses.',
      ),
    dropout: z
      .number()
      .min(0)
      .max(1)
      .default(0)
      .describe('Dropout on word vectors before the projections (training only).'),
  });
}

export type NerConfig = ReturnType<ReturnType<typeof nerConfigSchema>['parse']>;
