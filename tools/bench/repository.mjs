// Where the benches find the repository's files: from this file's location, never from the
// working directory, so a bench runs the same from any folder. The benches read the built
// packages (dist/) directly: they are not workspace packages, so `@stem/...` does not resolve.
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

export const repositoryRoot = fileURLToPath(new URL('../..', import.meta.url));

/** An absolute path to a file of the repository, given from its root. */
export function inRepository(path) {
  return join(repositoryRoot, path);
}

/**
 * Imports a built module of a workspace package, e.g. `packages/core/dist/index.js`, saying
 * which package to build when its dist/ is missing.
 */
export async function importBuilt(path) {
  const file = inRepository(path);
  if (!existsSync(file)) {
    const packageFolder = path.split('/dist/')[0];
    throw new Error(`${file} is missing: build it first (cd ${packageFolder} && pnpm build)`);
  }
  return import(pathToFileURL(file).href);
}
