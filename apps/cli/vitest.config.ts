import { defineProject, mergeConfig } from 'vitest/config';
import { sharedTestConfig } from '../../vitest.shared.js';

export default mergeConfig(
  sharedTestConfig,
  defineProject({
    test: {
      name: '@stem/cli',
      // These tests wait on stem processes more than they compute themselves: two files at
      // once keep both cores of a 2-core machine busy (vitest's default is cores - 1, i.e. one
      // file at a time there). One OpenBLAS thread per stem process, so two files' processes
      // do not oversubscribe the cores (a test that needs threads sets STEM_THREADS itself).
      maxWorkers: 2,
      env: { STEM_THREADS: process.env.STEM_THREADS ?? '1' },
    },
  }),
);
