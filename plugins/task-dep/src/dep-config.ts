import type { Zod } from '@stem/core';
import { DECODERS, TREE_FALLBACKS } from './decoding/decode-tree.js';

export const DEP_TASK_ID = 'stem.task.dep.biaffine.v1';

export function depConfigSchema(z: Zod) {
  const decoder = z.enum(DECODERS);
  const treeFallback = z.enum(TREE_FALLBACKS);
  return z.object({
    arcMlp: z
      .number()
      .int()
      .positive()
      .default(500)
      .describe('Width of the arc MLPs (dependent and head views of each word); 500 in the paper.'),
    labelMlp: z
      .number()
      .int()
      .positive()
      .default(100)
      .describe('Width of the relation-label MLPs (dependent and head views); 100 in the paper.'),
    negativeSlope: z
      .number()
      .min(0)
      .max(1)
      .default(0.1)
      .describe('Slope of the LeakyReLU after each MLP for negative inputs; 0.1 in the paper.'),
    dropout: z
      .number()
      .min(0)
      .max(1)
      .default(0.33)
      .describe(
        'Dropout on the MLP outputs in training, one mask per sentence shared by all its words (as in the original); 0.33 in the paper.',
      ),
    decoder: decoder
      .default('argmax')
      .describe(
        "How heads are decoded on dev (and on test / in stem predict unless testDecoder is set): argmax = each word's best head (see treeFallback); eisner = best projective tree; chu-liu-edmonds = best tree, non-projective allowed. Trees have exactly one word attached to ROOT.",
      ),
    treeFallback: treeFallback
      .default('eisner')
      .describe(
        "With decoder argmax: when the argmax heads of a sentence are not a well-formed tree (one ROOT child, no cycle, and projective for eisner), decode that sentence again with this algorithm; none keeps the argmax (it may not be a tree). The paper's default: eisner.",
      ),
    testDecoder: decoder
      .optional()
      .describe(
        'Decoder for the test split and stem predict; default: the same as decoder. The original code decodes argmax on dev and with Eisner at test time: decoder argmax, treeFallback none, testTreeFallback eisner.',
      ),
    testTreeFallback: treeFallback
      .optional()
      .describe('treeFallback for the test split and stem predict; default: treeFallback.'),
  });
}

export type DepConfig = ReturnType<ReturnType<typeof depConfigSchema>['parse']>;
