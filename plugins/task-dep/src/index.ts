export { BiaffineParser } from './biaffine-parser.js';
export { AttachmentScore, isPunctuation, universalRelation } from './attachment-score.js';
export { DEP_TASK_ID, depConfigSchema, type DepConfig } from './dep-config.js';
export {
  arcScores,
  treeScore,
  isSingleRootedTree,
  isProjectiveTree,
  type ArcScores,
} from './decoding/arc-scores.js';
export { argmaxHeads } from './decoding/argmax.js';
export { eisnerHeads } from './decoding/eisner.js';
export { chuLiuEdmondsHeads } from './decoding/chu-liu-edmonds.js';
export {
  decodeTree,
  DECODERS,
  TREE_FALLBACKS,
  type Decoder,
  type Decoding,
  type TreeFallback,
} from './decoding/decode-tree.js';
export { default as registerHook } from './hooks/register.js';
export { depPredictionFormats } from './prediction-formats.js';
