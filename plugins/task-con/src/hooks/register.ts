import type { StemRegisterHook } from '@stem/core';
import { conPredictionFormats } from '../prediction-formats.js';
import { CON_TASK_ID, conConfigSchema, type ConConfig } from '../con-config.js';
import { CrfSpanParser } from '../crf-span-parser.js';

/** The `stem:register` hook: everything at run time (zod, tf, randomness) comes from core. */
const register: StemRegisterHook = async () => ({
  register(stem) {
    stem.registerTask<ConConfig>({
      id: CON_TASK_ID,
      description:
        'Constituency parsing: two-stage TreeCRF over fenceposts (biaffine spans and labels), MBR + CKY decoding, EVALB labelled F1.',
      configSchema: conConfigSchema,
      predictionFormats: conPredictionFormats,
      create: (config, input, context) =>
        new CrfSpanParser(context.tf, config, input, context.random),
    });
  },
});

export default register;
