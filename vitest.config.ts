// Root entry: `pnpm vitest` runs every project's tests in one process pool.
import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    projects: ['packages/*', 'plugins/*', 'apps/*', 'examples/*', 'tools/*'],
  },
});
