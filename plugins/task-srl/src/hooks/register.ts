import type { StemRegisterHook } from '@stem/core';
import { srlPredictionFormats } from '../prediction-formats.js';
import { SpanRankingLabeler } from '../span-ranking-labeler.js';
import { SRL_TASK_ID, srlConfigSchema, type SrlConfig } from '../srl-config.js';

/** The `stem:register` hook: everything at run time (zod, tf, randomness) comes from core. */
const register: StemRegisterHook = async () => ({
  register(stem) {
    stem.registerTask<SrlConfig>({
      id: SRL_TASK_ID,
      description:
        'Semantic role labelling, end to end (predicted predicates): span ranking with top-k pruning, per-predicate non-overlapping decoding, micro F1 over (predicate, start, end, role).',
      configSchema: srlConfigSchema,
      predictionFormats: srlPredictionFormats,
      create: (config, input, context) =>
        new SpanRankingLabeler(context.tf, config, input, context.random),
    });
  },
});

export default register;
