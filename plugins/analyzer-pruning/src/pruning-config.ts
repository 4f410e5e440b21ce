import type { Zod } from '@stem/core';

export const HEAD_GATES_ID = 'stem.training.head-gates.hard-concrete.v1';

export function headGatesConfigSchema(z: Zod) {
  return z.object({
    lambda: z
      .number()
      .min(0)
      .optional()
      .describe(
        'Weight of the expected-L0 penalty. Default per task from the paper: pos 0.01, ner 0.0002, dep 0.01, con 0.01, srl 0.002; several tasks (one shared gate set) 0.001; other tasks 0.01.',
      ),
    learningRate: z
      .number()
      .positive()
      .default(1e-3)
      .describe('Learning rate of the gates’ own Adam (constant, no weight decay).'),
  });
}

export type HeadGatesConfig = ReturnType<ReturnType<typeof headGatesConfigSchema>['parse']>;
