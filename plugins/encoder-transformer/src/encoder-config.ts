import type { Zod } from '@stem/core';
import { ARCHES } from './model/architecture.js';

export const ENCODER_ID = 'stem.encoder.transformer.v1';

/** The config schema, built with core's zod (plugins never import their own). */
export function encoderConfigSchema(z: Zod) {
  return z
    .object({
      path: z
        .string()
        .optional()
        .describe(
          'A Hugging Face model directory: config.json, model.safetensors and tokenizer files.',
        ),
      weights: z
        .enum(['pretrained', 'random'])
        .default('pretrained')
        .describe(
          '"random" keeps the architecture and tokenizer of `path` but draws fresh weights from the run seed.',
        ),
      architecture: z
        .object({
          arch: z
            .enum(ARCHES as ['bert', 'roberta', 'electra'])
            .default('bert')
            .describe('Model family: bert, roberta (BPE, position offset) or electra.'),
          layers: z.int().positive().default(2).describe('Transformer layers.'),
          heads: z.int().positive().default(4).describe('Attention heads per layer.'),
          hidden: z.int().positive().default(128).describe('Hidden size, a multiple of heads.'),
          intermediate: z
            .int()
            .positive()
            .optional()
            .describe('Feed-forward size; default 4 x hidden.'),
          embedding: z
            .int()
            .positive()
            .optional()
            .describe('ELECTRA embedding size; default hidden.'),
          maxPositions: z
            .int()
            .positive()
            .default(512)
            .describe('Longest sub-word window, specials included.'),
          tokenizer: z
            .string()
            .describe(
              'Directory holding the tokenizer files (tokenizer.json, vocab.txt, or vocab.json + merges.txt).',
            ),
        })
        .optional()
        .describe('Random initialisation from an architecture instead of `path`.'),
      pooling: z
        .enum(['mean', 'first', 'last'])
        .default('mean')
        .describe('How sub-word vectors become word vectors.'),
      wordDropout: z
        .number()
        .min(0)
        .max(1)
        .default(0.2)
        .describe('Probability of replacing a sub-word by [MASK] in training.'),
      trainable: z.boolean().default(true).describe('false freezes the encoder (static probes).'),
    })
    .refine((c) => (c.path === undefined) !== (c.architecture === undefined), {
      message: 'give exactly one of `path` or `architecture`',
    });
}

export type EncoderConfig = ReturnType<ReturnType<typeof encoderConfigSchema>['parse']>;
