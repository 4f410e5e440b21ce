import * as tf from '@tensorflow/tfjs';
import { SeededRandom, type EncoderShape, type TensorFlow } from '@stem/core';
import { BERT_ATTENTION_NAMES, type GradientConflictConfig } from '../../src/conflict-config.js';
import { GradientConflictMeter } from '../../src/gradient-conflict-meter.js';

/** The config the schema would give, with the BERT names without the `encoder/` prefix fixed. */
export function meterConfig(
  overrides: Partial<GradientConflictConfig> = {},
): GradientConflictConfig {
  return {
    every: 1,
    probeSentences: 6,
    includeGates: true,
    weights: { ...BERT_ATTENTION_NAMES },
    ...overrides,
  };
}

export function meter(
  shape: EncoderShape,
  overrides: Partial<GradientConflictConfig> = {},
  outputDirectory?: string,
): GradientConflictMeter {
  return new GradientConflictMeter(
    tf as unknown as TensorFlow,
    meterConfig(overrides),
    { name: 'conflict', encoderShape: shape },
    new SeededRandom(21).fork('trainingComponents.conflict'),
    outputDirectory,
  );
}
