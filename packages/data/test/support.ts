import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { bundledUdDirectory, udFile } from '../src/corpora/ud-files.js';

export const FIXTURES = join(dirname(fileURLToPath(import.meta.url)), 'fixtures');
export const UD_DIRECTORY = bundledUdDirectory();
/**
 * The PropBank EWT skeletons the repository carries (packages/data/sources/propbank-ewt);
 * tests using them skip where a trimmed copy of the package leaves them out.
 */
export const PROPBANK_MIRROR = join(
  dirname(fileURLToPath(import.meta.url)),
  '../sources/propbank-ewt/ewt-propbank.tar.gz',
);
export const HAS_MIRROR = existsSync(PROPBANK_MIRROR);
export const EWT_DEV = udFile('en_ewt', 'dev');
export const GUM_DEV = udFile('en_gum', 'dev');
