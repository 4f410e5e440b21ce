// Settings every project's vitest config starts from.
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

export const sharedTestConfig = defineConfig({
  test: {
    include: ['src/**/*.test.ts', 'test/**/*.test.ts'],
    environment: 'node',
    testTimeout: 60_000,
    hookTimeout: 120_000,
    pool: 'forks',
    globalSetup: [fileURLToPath(new URL('./vitest.global-setup.ts', import.meta.url))],
    // The JSON report lets .ci/run print one "N passed, N failed" line for the whole repository.
    reporters: ['default', ['json', { outputFile: '.vitest-results.json' }]],
  },
});
