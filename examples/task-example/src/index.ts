export {
  CapitalisationTagger,
  CAPITALISATION_LABELS,
  capitalisationOf,
  type CapitalisationTaggerConfig,
} from './capitalisation-tagger.js';
export { default as registerHook } from './hooks/register.js';
