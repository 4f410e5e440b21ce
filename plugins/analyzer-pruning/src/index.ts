export {
  HARD_CONCRETE,
  PENALTY_SHIFT,
  drawGateNoise,
  trainingGates,
  evaluationGates,
  expectedOpenHeadsPerLayer,
  evaluationGateOf,
  isKept,
  undecidedGateCount,
} from './hard-concrete.js';
export { HardConcreteHeadGates, type HeadGatesReport } from './head-gates.js';
export { HEAD_GATES_ID, headGatesConfigSchema, type HeadGatesConfig } from './pruning-config.js';
export {
  PAPER_LAMBDA,
  SHARED_GATES_LAMBDA,
  FALLBACK_LAMBDA,
  PAPER_PRUNING_EPOCHS,
  FALLBACK_PRUNING_EPOCHS,
  pruningEpochs,
  penaltyWeight,
  type PenaltyWeight,
} from './penalty-weight.js';
export {
  PRUNING_SUMMARY_FILE,
  evaluationsOf,
  readPruningSummary,
  writePruningSummary,
  type PruningSummary,
  type TaskScores,
} from './pruning-summary.js';
export {
  pearson,
  linearFit,
  adjustedRSquared,
  mean,
  type LinearFit,
} from './overlap/statistics.js';
export {
  analyzeOverlap,
  type OverlapOptions,
  type OverlapResult,
  type PruningRunGates,
  type TaskOverlap,
  type DiagonalEntry,
} from './overlap/overlap-analysis.js';
export {
  STEM_CELL_DEFINITION,
  claimsByTask,
  claimedByTaskCount,
  stemCellHeads,
  type TaskClaims,
} from './overlap/stem-cells.js';
export {
  sharingTest,
  DEFAULT_SHARING_DRAWS,
  type NullSummary,
  type SharingStatistic,
  type SharingTestResult,
  type SharingTestOptions,
  type SharingRandom,
} from './overlap/sharing-test.js';
export { KeptHeadSampler } from './overlap/null-draws.js';
export {
  seedCoupling,
  type SeedCoupling,
  type SeedCouplingGroup,
} from './overlap/seed-coupling.js';
export { headGridSvg, rgbMapSvg, meanGateSvg, correlationSvg } from './overlap/svg-maps.js';
export { overlapOfRuns } from './overlap/write-overlap.js';
export { default as registerHook } from './hooks/register.js';
