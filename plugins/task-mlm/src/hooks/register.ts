import type { StemRegisterHook } from '@stem/core';
import { MaskedLanguageModelHead } from '../masked-lm-head.js';
import { MLM_TASK_ID, mlmConfigSchema, type MlmConfig } from '../mlm-config.js';

/** The `stem:register` hook: zod, tf and randomness come from core. */
const register: StemRegisterHook = async () => ({
  register(stem) {
    stem.registerTask<MlmConfig>({
      id: MLM_TASK_ID,
      description:
        'Masked-language-model pretraining (BERT): 15% of sub-words masked 80/10/10, output tied to the word embeddings, masked-token accuracy and perplexity. Trains on raw text.',
      configSchema: mlmConfigSchema,
      create: (config, input, context) =>
        new MaskedLanguageModelHead(context.tf, config, input, context.random),
    });
  },
});

export default register;
