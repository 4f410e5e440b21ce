export {
  checkRegistration,
  type RegistrationCheckInput,
  type RegistrationReport,
} from './check-registration.js';
export { pluginManifestProblems, type PluginPackageJson } from './plugin-manifest-problems.js';
export { ConformanceError } from './conformance-error.js';
export { ToyEncoder, type ToyEncoderOptions } from './toy-encoder.js';
export { ToyTagger } from './toy-tagger.js';
export { syntheticTaggedSentences } from './synthetic-corpus.js';
export { checkTaskHead, type TaskHeadCheckInput, type TaskHeadReport } from './check-task-head.js';
export {
  checkTaskHeadOnWasm,
  nativeKernelProblems,
  type TaskHeadOnWasmCheckInput,
} from './check-task-head-on-wasm.js';
export { checkEncoder, type EncoderCheckInput, type EncoderReport } from './check-encoder.js';
export {
  headCheckpointFixture,
  type HeadCheckpointFixtureInput,
  type HeadCheckpointFixtureReport,
} from './head-checkpoint-fixture.js';
export { tinyAnnotatedSentences } from './tiny-annotated-sentences.js';
