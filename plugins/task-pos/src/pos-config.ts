import type { Zod } from '@stem/core';

export const POS_TASK_ID = 'stem.task.pos.softmax.v1';

export function posConfigSchema(z: Zod) {
  return z.object({
    tagSet: z
      .enum(['xpos', 'upos'])
      .default('xpos')
      .describe(
        "Which tags to predict: xpos = language-specific (PTB for English, the paper's setting), upos = Universal POS.",
      ),
    dropout: z
      .number()
      .min(0)
      .max(1)
      .default(0)
      .describe('Dropout on word vectors before the linear layer (training only).'),
  });
}

export type PosConfig = ReturnType<ReturnType<typeof posConfigSchema>['parse']>;
