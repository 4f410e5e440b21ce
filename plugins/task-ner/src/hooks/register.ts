import type { StemRegisterHook } from '@stem/core';
import { nerPredictionFormats } from '../prediction-formats.js';
import { BiaffineSpanClassifier } from '../biaffine-span-classifier.js';
import { NER_TASK_ID, nerConfigSchema, type NerConfig } from '../ner-config.js';

/** The `stem:register` hook: everything at run time (zod, tf, randomness) comes from core. */
const register: StemRegisterHook = async () => ({
  register(stem) {
    stem.registerTask<NerConfig>({
      id: NER_TASK_ID,
      description:
        'Named entities: biaffine span classifier over all spans i <= j (Yu et al. 2020), cross-entropy over spans, flat greedy decoding, exact-span micro F1.',
      configSchema: nerConfigSchema,
      predictionFormats: nerPredictionFormats,
      create: (config, input, context) =>
        new BiaffineSpanClassifier(context.tf, config, input, context.random),
    });
  },
});

export default register;
