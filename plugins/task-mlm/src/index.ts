export { MaskedLanguageModelHead } from './masked-lm-head.js';
export { MaskedLmMetric, type MaskedLmPrediction } from './masked-lm-metric.js';
export { maskRow, type MaskedRow, type MaskingOptions, type MaskingRandom } from './masking.js';
export { type MaskedLmTargets } from './masked-lm-targets.js';
export { MLM_TASK_ID, mlmConfigSchema, type MlmConfig } from './mlm-config.js';
