export { CHUNKS_LAYER, chunksOf, type Chunk } from './chunks-layer.js';
export { OUTSIDE, chunksToTags, parseChunkTag, tagsToChunks } from './chunk-tags.js';
export {
  ChunkFormatError,
  conll2000ToSentence,
  parseConll2000,
  type Conll2000Sentence,
} from './conll2000.js';
export {
  ChunkFileNotFoundError,
  Conll2000Dataset,
  DEFAULT_SPLIT_FILES,
  SAMPLE_DIRECTORY,
  type Conll2000DatasetConfig,
} from './conll2000-dataset.js';
export { decodeValidTags, transitionAllowed } from './bio-viterbi.js';
export { ChunkF1 } from './chunk-f1.js';
export { ChunkTagger, tagSetOf } from './chunk-tagger.js';
export {
  CHUNK_TASK_ID,
  CONLL2000_DATASET_ID,
  chunkTaskSchema,
  type ChunkTaskConfig,
} from './chunk-config.js';
export { bracketFormat, chunkPredictionFormats, conll2000Format } from './prediction-formats.js';
export { default as registerHook } from './hooks/register.js';
