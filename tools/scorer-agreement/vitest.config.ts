import { defineProject, mergeConfig } from 'vitest/config';
import { sharedTestConfig } from '../../vitest.shared.js';

export default mergeConfig(
  sharedTestConfig,
  defineProject({
    // The tiny runs train for real: minutes on a busy 2-core machine, not seconds.
    test: { name: '@stem/tools-scorer-agreement', testTimeout: 300_000, hookTimeout: 300_000 },
  }),
);
