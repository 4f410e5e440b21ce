export {
  SpanRankingLabeler,
  type KeptCandidates,
  type SpanRankingScores,
  type UnaryScores,
} from './span-ranking-labeler.js';
export { SrlMetric } from './srl-metric.js';
export { bestNonOverlapping, type ScoredSpan } from './non-overlapping-arguments.js';
export { candidateSpans, keptCount, topIndices, type CandidateSpan } from './span-candidates.js';
export { FeedForward, type HiddenDropout } from './feed-forward.js';
export { SRL_TASK_ID, srlConfigSchema, type SrlConfig } from './srl-config.js';
export { default as registerHook } from './hooks/register.js';
export { srlPredictionFormats } from './prediction-formats.js';
