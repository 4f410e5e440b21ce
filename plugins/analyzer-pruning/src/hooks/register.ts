import type { StemRegisterHook } from '@stem/core';
import { HardConcreteHeadGates } from '../head-gates.js';
import { HEAD_GATES_ID, headGatesConfigSchema, type HeadGatesConfig } from '../pruning-config.js';

/** The `stem:register` hook: the gates are a training component; tf and randomness come from core. */
const register: StemRegisterHook = async () => ({
  register(stem) {
    stem.registerTrainingComponent<HeadGatesConfig>({
      id: HEAD_GATES_ID,
      description:
        'Attention-head pruning: one hard-concrete gate per head with an expected-L0 penalty, its own Adam (He & Choi 2021, Voita et al. 2019).',
      configSchema: headGatesConfigSchema,
      create: (config, input, context) =>
        new HardConcreteHeadGates(context.tf, config, input, context.random),
    });
  },
});

export default register;
