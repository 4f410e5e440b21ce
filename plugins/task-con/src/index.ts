export { CrfSpanParser, fenceposts, leavesOf, UNKNOWN_TAG } from './crf-span-parser.js';
export { insideAlgorithm, spanMarginals } from './tree-crf.js';
export { treeCrfLogPartition } from './tree-crf-op.js';
export { labelBiaffineScores } from './label-biaffine.js';
export { cky } from './cky.js';
export type { Span, SpanChart } from './span-chart.js';
export {
  goldBrackets,
  treeFromBrackets,
  parserTree,
  NULL_LABEL,
  type LabelledBracket,
} from './labelled-brackets.js';
export { SpanLabels } from './span-labels.js';
export { LabelledBracketF1 } from './labelled-bracket-f1.js';
export { CON_TASK_ID, conConfigSchema, type ConConfig } from './con-config.js';
export { default as registerHook } from './hooks/register.js';
export { conPredictionFormats } from './prediction-formats.js';
