import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { bundledUdDirectory, udFile } from '../src/corpora/ud-files.js';

export const FIXTURES = join(dirname(fileURLToPath(import.meta.url)), 'fixtures');
export const UD_DIRECTORY = bundledUdDirectory();
/** The PropBank EWT skeletons the repository carries (packages/data/sources/propbank-ewt). */
export const PROPBANK_SOURCE = join(
  dirname(fileURLToPath(import.meta.url)),
  '../sources/propbank-ewt/ewt-propbank.tar.gz',
);
export const EWT_DEV = udFile('en_ewt', 'dev');
export const GUM_DEV = udFile('en_gum', 'dev');
