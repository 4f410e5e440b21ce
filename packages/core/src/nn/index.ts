import {
  biaffineScores,
  labelledBiaffineScores,
  pairedBiaffineScores,
  withOnes,
} from './biaffine.js';
import { applyDense, denseLayer, linear } from './dense-layer.js';
import { FeedForward } from './feed-forward.js';
import { gelu } from './gelu.js';
import { glorotUniform } from './glorot-uniform.js';
import { loadWeights } from './load-weights.js';
import { uniformVariable } from './uniform-variable.js';

export {
  biaffineScores,
  labelledBiaffineScores,
  pairedBiaffineScores,
  withOnes,
} from './biaffine.js';
export { applyDense, denseLayer, linear, type Activation, type DenseLayer } from './dense-layer.js';
export { FeedForward, type FeedForwardOptions, type HiddenDropout } from './feed-forward.js';
export { FUSED_GELU_GRADIENT_KERNEL, FUSED_GELU_KERNEL, gelu } from './gelu.js';
export { glorotUniform } from './glorot-uniform.js';
export { loadWeights } from './load-weights.js';
export { uniformVariable } from './uniform-variable.js';

/**
 * The building blocks task heads share, as one object: the registration facade's `nn`.
 * Every function takes the `tf` the plugin was handed and, for initialisation, the run's
 * seeded stream, so core's module holds no engine or state of its own.
 */
export const nn = {
  uniformVariable,
  glorotUniform,
  denseLayer,
  applyDense,
  linear,
  FeedForward,
  gelu,
  withOnes,
  biaffineScores,
  labelledBiaffineScores,
  pairedBiaffineScores,
  loadWeights,
} as const;

/** The type of the facade's `nn`. */
export type NeuralNetworkBlocks = typeof nn;
