import type { Split } from '@stem/core';

/**
 * The splits in reading order; the same list as core's `SPLITS`, declared here so that loading
 * @stem/data never loads core's runtime (which brings tfjs and the DI container).
 */
export const CORPUS_SPLITS: readonly Split[] = ['train', 'dev', 'test'];
