export {
  CapitalisationTagger,
  CAPITALISATION_LABELS,
  CAPITALISATION_LAYER,
  capitalisationOf,
  type CapitalisationTaggerConfig,
} from './capitalisation-tagger.js';
export { default as registerHook } from './hooks/register.js';
export { capitalisationPredictionFormats, capitalisationLabelsOf } from './prediction-format.js';
