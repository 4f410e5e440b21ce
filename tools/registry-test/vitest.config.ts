import { defineProject, mergeConfig } from 'vitest/config';
import { sharedTestConfig } from '../../vitest.shared.js';

// Publishing and installing from a local registry takes minutes, not seconds.
export default mergeConfig(
  sharedTestConfig,
  defineProject({
    test: { name: '@stem/tools-registry-test', testTimeout: 600_000, hookTimeout: 600_000 },
  }),
);
