export { ProbeAnalyzer, probeResultFile } from './probe-analyzer.js';
export * from './probe-config.js';
export * from './probes/probe-result.js';
export { runAttentionProbe, type AttentionProbeRun } from './probes/attention-probe.js';
export { runCentroidProbe, type CentroidProbeRun } from './probes/centroid-probe.js';
export {
  positionalBaselines,
  perLabelOffsetBaseline,
  offsetPointer,
  MAX_BASELINE_OFFSET,
} from './probes/positional-baselines.js';
export {
  attentionRelations,
  centroidItems,
  headIsWord,
  relationFound,
  ROOT_UNIT,
  type LabelledItem,
  type LabelledRelation,
} from './probes/probe-items.js';
export { lowestPhrases, phraseLabel } from './probes/lowest-phrases.js';
export { compareProbeResults, type ProbeComparison } from './probes/compare-results.js';
export { poolAttention, attentionPointers } from './pooling/word-attention.js';
export { poolItemContexts, type ContextItem } from './pooling/item-contexts.js';
export { poolingWeights } from './pooling/pooling-weights.js';
export { planBatches } from './run/batch-plan.js';
export { default as registerHook } from './hooks/register.js';
