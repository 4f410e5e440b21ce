// Settings every project's vitest config starts from.
import { defineConfig } from 'vitest/config';

export const sharedTestConfig = defineConfig({
  test: {
    include: ['src/**/*.test.ts', 'test/**/*.test.ts'],
    environment: 'node',
    testTimeout: 60_000,
    hookTimeout: 120_000,
    pool: 'forks',
    // The JSON report lets .ci/run print one "N passed, N failed" line for the whole repository.
    reporters: ['default', ['json', { outputFile: '.vitest-results.json' }]],
  },
});
