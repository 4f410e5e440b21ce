import type { StemRegisterHook } from '@stem/core';
import { posPredictionFormats } from '../prediction-formats.js';
import { POS_TASK_ID, posConfigSchema, type PosConfig } from '../pos-config.js';
import { SoftmaxTagger } from '../softmax-tagger.js';

/** The `stem:register` hook: everything at run time (zod, tf, randomness) comes from core. */
const register: StemRegisterHook = async () => ({
  register(stem) {
    stem.registerTask<PosConfig>({
      id: POS_TASK_ID,
      description:
        'Part-of-speech tagging: linear + softmax over word vectors, token cross-entropy, accuracy over all tokens.',
      configSchema: posConfigSchema,
      predictionFormats: posPredictionFormats,
      create: (config, input, context) =>
        new SoftmaxTagger(context.tf, config, input, context.random),
    });
  },
});

export default register;
