import type { Zod } from '@stem/core';

export const SRL_TASK_ID = 'stem.task.srl.span-ranking.v1';

export function srlConfigSchema(z: Zod) {
  const hiddenSizes = (what: string) =>
    z
      .array(z.number().int().positive())
      .min(1)
      .default([150, 150])
      .describe(`Hidden layer sizes of the ${what} feed-forward network (ReLU).`);
  return z.object({
    maxSpanWidth: z
      .number()
      .int()
      .positive()
      .default(30)
      .describe('Longest candidate argument span, in words.'),
    widthEmbeddingSize: z
      .number()
      .int()
      .positive()
      .default(20)
      .describe('Size of the span width embedding in the span representation.'),
    argumentHiddenSizes: hiddenSizes('unary argument scorer'),
    predicateHiddenSizes: hiddenSizes('unary predicate scorer'),
    pairHiddenSizes: hiddenSizes('(argument, predicate) role scorer'),
    argumentRatio: z
      .number()
      .positive()
      .max(30)
      .default(0.8)
      .describe('Argument spans kept per sentence: floor(ratio x words), at least 1.'),
    predicateRatio: z
      .number()
      .positive()
      .max(1)
      .default(0.4)
      .describe('Predicates kept per sentence: floor(ratio x words), at least 1.'),
    dropout: z
      .number()
      .min(0)
      .max(1)
      .default(0.2)
      .describe('Dropout on the hidden layers of the three scorers (training only).'),
  });
}

export type SrlConfig = ReturnType<ReturnType<typeof srlConfigSchema>['parse']>;
