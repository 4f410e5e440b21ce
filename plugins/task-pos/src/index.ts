export { SoftmaxTagger } from './softmax-tagger.js';
export { TaggingAccuracy } from './tagging-accuracy.js';
export { POS_TASK_ID, posConfigSchema, type PosConfig } from './pos-config.js';
export { default as registerHook } from './hooks/register.js';
export { posPredictionFormats } from './prediction-formats.js';
