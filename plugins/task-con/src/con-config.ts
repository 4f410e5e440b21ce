import type { Zod } from '@stem/core';

export const CON_TASK_ID = 'stem.task.con.crf.v1';

export function conConfigSchema(z: Zod) {
  return z.object({
    spanMlpSize: z
      .number()
      .int()
      .positive()
      .default(500)
      .describe(
        'Width of the span MLPs (left and right fencepost) feeding the biaffine span scorer.',
      ),
    labelMlpSize: z
      .number()
      .int()
      .positive()
      .default(100)
      .describe('Width of the label MLPs feeding the biaffine label scorer.'),
    mlpDropout: z
      .number()
      .min(0)
      .max(1)
      .default(0.33)
      .describe('Dropout after each MLP (training only).'),
  });
}

export type ConConfig = ReturnType<ReturnType<typeof conConfigSchema>['parse']>;
