export { BiaffineSpanClassifier } from './biaffine-span-classifier.js';
export { decodeFlatSpans, type ScoredSpan, type SpanScoreTable } from './flat-decoding.js';
export { SpanF1 } from './span-f1.js';
export { spanTargets, type SpanTargets } from './span-targets.js';
export { NER_TASK_ID, nerConfigSchema, type NerConfig } from './ner-config.js';
export { default as registerHook } from './hooks/register.js';
export { nerPredictionFormats } from './prediction-formats.js';
