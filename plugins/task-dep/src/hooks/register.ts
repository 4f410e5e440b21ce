import type { StemRegisterHook } from '@stem/core';
import { depPredictionFormats } from '../prediction-formats.js';
import { BiaffineParser } from '../biaffine-parser.js';
import { DEP_TASK_ID, depConfigSchema, type DepConfig } from '../dep-config.js';

/** The `stem:register` hook: everything at run time (zod, tf, randomness) comes from core. */
const register: StemRegisterHook = async () => ({
  register(stem) {
    stem.registerTask<DepConfig>({
      id: DEP_TASK_ID,
      description:
        'Dependency parsing: biaffine parser (Dozat & Manning 2017) with [CLS] as ROOT; argmax, Eisner or Chu-Liu/Edmonds decoding; UAS/LAS without punctuation (primary: LAS) and over all tokens.',
      configSchema: depConfigSchema,
      predictionFormats: depPredictionFormats,
      create: (config, input, context) =>
        new BiaffineParser(context.tf, config, input, context.random),
    });
  },
});

export default register;
