import type { StemRegisterHook } from '@stem/core';
import { createEncoder } from '../create-encoder.js';
import { ENCODER_ID, type EncoderConfig, encoderConfigSchema } from '../encoder-config.js';

/** oclif `stem:register` hook: registers the transformer encoder through core's facade. */
const hook: StemRegisterHook = async () => ({
  register(stem) {
    stem.registerEncoder<EncoderConfig>({
      id: ENCODER_ID,
      description:
        'BERT, RoBERTa and ELECTRA encoders (Hugging Face checkpoints or random init) with head gates and attention capture.',
      configSchema: encoderConfigSchema,
      create: (config, context) =>
        createEncoder(config, context.tf, context.random, stem.safetensors),
    });
  },
});

export default hook;
