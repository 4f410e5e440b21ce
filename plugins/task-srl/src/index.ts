export {
  SpanRankingLabeler,
  type KeptCandidates,
  type SpanRankingScores,
  type UnaryScores,
} from './span-ranking-labeler.js';
export { SrlMetric } from './srl-metric.js';
export { conll05ArgumentKeys, framesByPredicate } from './conll05-arguments.js';
export { bestNonOverlapping, type ScoredSpan } from './non-overlapping-arguments.js';
export { candidateSpans, keptCount, topIndices, type CandidateSpan } from './span-candidates.js';
// The feed-forward scorer moved to core's `nn`; re-exported for code that imported it here.
export { FeedForward, type HiddenDropout } from '@stem/core';
export { SRL_TASK_ID, srlConfigSchema, type SrlConfig } from './srl-config.js';
export { default as registerHook } from './hooks/register.js';
export { srlPredictionFormats } from './prediction-formats.js';
