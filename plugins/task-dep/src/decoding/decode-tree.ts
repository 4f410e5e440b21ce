import { isProjectiveTree, isSingleRootedTree, type ArcScores } from './arc-scores.js';
import { argmaxHeads } from './argmax.js';
import { chuLiuEdmondsHeads } from './chu-liu-edmonds.js';
import { eisnerHeads } from './eisner.js';

export const DECODERS = ['argmax', 'eisner', 'chu-liu-edmonds'] as const;
export type Decoder = (typeof DECODERS)[number];

export const TREE_FALLBACKS = ['eisner', 'chu-liu-edmonds', 'none'] as const;
export type TreeFallback = (typeof TREE_FALLBACKS)[number];

export interface Decoding {
  decoder: Decoder;
  /** With `argmax`: what replaces an argmax that is not a well-formed tree. */
  treeFallback: TreeFallback;
}

/**
 * Heads of one sentence. `argmax` keeps each word's best head when they form a well-formed
 * tree (single-rooted and acyclic, and projective when the fallback is Eisner, as in the
 * original code's check) and otherwise re-decodes the sentence with the fallback; with
 * fallback `none` the argmax is returned as it is and may not be a tree.
 */
export function decodeTree(scores: ArcScores, decoding: Decoding): number[] {
  switch (decoding.decoder) {
    case 'eisner':
      return eisnerHeads(scores);
    case 'chu-liu-edmonds':
      return chuLiuEdmondsHeads(scores);
    case 'argmax': {
      const heads = argmaxHeads(scores);
      if (decoding.treeFallback === 'none') return heads;
      const wellFormed =
        isSingleRootedTree(heads) &&
        (decoding.treeFallback !== 'eisner' || isProjectiveTree(heads));
      if (wellFormed) return heads;
      return decoding.treeFallback === 'eisner' ? eisnerHeads(scores) : chuLiuEdmondsHeads(scores);
    }
  }
}
