export type * from './tensorflow.js';
export * from './annotations.js';
export type * from './encoder.js';
export type * from './metric.js';
export type * from './task-head.js';
export type * from './dataset-reader.js';
export type * from './analyzer.js';
export * from './prediction-format.js';
