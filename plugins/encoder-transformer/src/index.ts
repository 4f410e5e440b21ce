export { TransformerEncoder, type TransformerEncoderOptions } from './transformer-encoder.js';
export { createEncoder, architectureFor, type ArchitectureSpec } from './create-encoder.js';
export { ENCODER_ID, encoderConfigSchema, type EncoderConfig } from './encoder-config.js';
export { EncoderError } from './errors.js';
export { seededSource, type RandomSource } from './random.js';
export {
  ARCHES,
  type Arch,
  type Architecture,
  architectureFromHf,
  architectureToHf,
  expectedTensors,
  headSize,
  maxSequenceLength,
  parameterCount,
} from './model/architecture.js';
export { ParameterStore } from './model/parameters.js';
export {
  forwardTransformer,
  type SubwordInput,
  type ForwardOptions,
  type ForwardOutput,
} from './model/transformer.js';
export {
  readArchitecture,
  readWeights,
  checkTensors,
  matchTensors,
  writeCheckpoint,
  CONFIG_FILE,
  WEIGHTS_FILE,
  type FloatTensor,
} from './io/checkpoint.js';
export {
  SubwordTokenizer,
  type SpecialIds,
  type TokenizerKind,
} from './tokenization/subword-tokenizer.js';
export {
  trainVocabulary,
  type VocabularyKind,
  type TrainVocabularyOptions,
} from './tokenization/train-vocabulary.js';
export { planWindows, type WindowPlan } from './encoding/sliding-window.js';
export { poolWords } from './encoding/word-pooling.js';
export { applyWordDropout } from './encoding/word-dropout.js';
export { poolAttentionToWords } from './attention/word-attention.js';
export { describeModel, type ModelDescription } from './model-directory/describe-model.js';
export { checkModelWeights, type WeightsCheck } from './model-directory/check-model-weights.js';
export {
  encoderWordAttention,
  wordAttentionView,
  type AttentionSelection,
  type WordAttentionView,
  type HeadAttention,
} from './model-directory/word-attention-view.js';
export { initModel, type InitModelOptions } from './model-directory/init-model.js';
