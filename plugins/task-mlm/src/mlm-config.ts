import type { Zod } from '@stem/core';

export const MLM_TASK_ID = 'stem.task.mlm.v1';

export function mlmConfigSchema(z: Zod) {
  // The shares' sum is checked by the head (a refinement would stop core extending the schema).
  return z.object({
    maskRate: z
      .number()
      .gt(0)
      .lt(1)
      .default(0.15)
      .describe('Probability that a (non-special) sub-word is selected for prediction.'),
    maskTokenShare: z
      .number()
      .min(0)
      .max(1)
      .default(0.8)
      .describe('Share of the selected sub-words replaced by [MASK].'),
    randomTokenShare: z
      .number()
      .min(0)
      .max(1)
      .default(0.1)
      .describe(
        'Share of the selected sub-words replaced by a random vocabulary token; the rest stay as they are.',
      ),
    layerNormEps: z
      .number()
      .positive()
      .default(1e-12)
      .describe("Epsilon of the output transform's LayerNorm (BERT: 1e-12)."),
  });
}

export type MlmConfig = ReturnType<ReturnType<typeof mlmConfigSchema>['parse']>;
