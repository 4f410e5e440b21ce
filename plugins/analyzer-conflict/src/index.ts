export {
  BERT_ATTENTION_NAMES,
  DEFAULT_MEASURE_EVERY,
  DEFAULT_PROBE_SENTENCES,
  GRADIENT_CONFLICT_ID,
  gradientConflictConfigSchema,
  type GradientConflictConfig,
} from './conflict-config.js';
export {
  cosine,
  dot,
  headAgreement,
  taskPairs,
  type HeadAgreement,
} from './conflict-statistics.js';
export {
  measureConflict,
  type ConflictMeasurement,
  type HeadConflict,
} from './conflict-measurement.js';
export { GradientConflictMeter, measurementFile } from './gradient-conflict-meter.js';
export { headSlice, layoutKeys, type GradientArray, type HeadLayout } from './head-slices.js';
export { drawProbeBatch } from './probe-batches.js';
export { default as registerHook } from './hooks/register.js';
export {
  compareHeadSet,
  type HeadSetComparison,
  type PermutationRandom,
} from './compare/head-set-comparison.js';
export { perHeadConflict, type ConflictStatistic } from './compare/per-head-conflict.js';
export { measureLoadedRun } from './post-hoc.js';
