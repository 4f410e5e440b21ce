import { parseChunkTag } from './chunk-tags.js';

/** Whether `next` may follow `previous` in IOB2 (`undefined`: the sentence start). */
export function transitionAllowed(previous: string | undefined, next: string): boolean {
  const to = parseChunkTag(next);
  if (to?.prefix !== 'I') return true;
  const from = previous === undefined ? undefined : parseChunkTag(previous);
  return from !== undefined && from.prefix !== 'O' && from.type === to.type;
}

/**
 * The highest-scoring tag sequence in which every `I-X` continues a chunk of type X
 * (Viterbi over per-word scores with forbidden transitions). `scores[i][t]` is the
 * log-probability of tag t at word i; ties go to the lower tag index.
 */
export function decodeValidTags(
  scores: readonly (readonly number[])[],
  tags: readonly string[],
): number[] {
  if (scores.length === 0) return [];
  const width = tags.length;
  let best = tags.map((tag, t) =>
    transitionAllowed(undefined, tag) ? (scores[0]?.[t] as number) : -Infinity,
  );
  const back: number[][] = [];
  for (let i = 1; i < scores.length; i++) {
    const next = new Array<number>(width).fill(-Infinity);
    const from = new Array<number>(width).fill(0);
    for (let t = 0; t < width; t++) {
      for (let p = 0; p < width; p++) {
        if (!transitionAllowed(tags[p], tags[t] as string)) continue;
        const score = (best[p] as number) + (scores[i]?.[t] as number);
        if (score > (next[t] as number)) {
          next[t] = score;
          from[t] = p;
        }
      }
    }
    back.push(from);
    best = next;
  }
  let last = 0;
  for (let t = 1; t < width; t++) if ((best[t] as number) > (best[last] as number)) last = t;
  const path = [last];
  for (let i = back.length - 1; i >= 0; i--)
    path.push(back[i]?.[path[path.length - 1] as number] as number);
  return path.reverse();
}
