import { defineProject, mergeConfig } from 'vitest/config';
import { sharedTestConfig } from '../../../vitest.shared.js';

// The pure helpers of compare.mjs only (statistics, run order, tables): no benchmark runs here.
export default mergeConfig(
  sharedTestConfig,
  defineProject({ test: { name: '@stem/tools-bench-encoder-step' } }),
);
