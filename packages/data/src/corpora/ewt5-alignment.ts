/**
 * Aligns the PropBank EWT skeletons with UD English-EWT by sentence id. The skeleton of
 * sentence n (0-based) of `google/ewt/<genre>/<nn>/<name>.xml` is UD's
 * `<genre>-<name>-<n+1, 4 digits>`. A pair aligns when both exist and have the same number of
 * tokens; anything else is reported with its id and left out, never guessed. Tag
 * disagreements between the two releases are counted, not fatal: the tokens still line up.
 */
import type { Split } from '@stem/core';
import type { Conll2012Sentence } from '../readers/conll2012.js';
import type { ConlluSentence } from '../readers/conllu.js';
import { CORPUS_SPLITS } from './splits.js';

export interface AlignedSentence {
  id: string;
  ud: ConlluSentence;
  skeleton: Conll2012Sentence;
}

export interface UnalignedSentence {
  id: string;
  /** Where the skeleton came from: `doc` column and sentence number. */
  skeleton: string;
  reason: string;
}

export interface Ewt5AlignmentReport {
  skeletonSentences: number;
  alignedSentences: number;
  /** aligned / skeleton sentences. */
  rate: number;
  perSplit: Record<Split, { ud: number; aligned: number }>;
  unaligned: UnalignedSentence[];
  /** UD sentences no skeleton names (they have no CON/SRL, so ewt-5 leaves them out). */
  udWithoutSkeleton: string[];
  /** Tokens of aligned sentences whose PTB tag differs between UD (XPOS) and the skeleton. */
  tagDisagreements: { tokens: number; disagreeing: number };
}

export interface Ewt5Alignment {
  splits: Record<Split, AlignedSentence[]>;
  report: Ewt5AlignmentReport;
}

/** UD sentence id of a skeleton sentence, or undefined when the doc column is not an EWT path. */
export function udIdOfSkeleton(doc: string, sentenceNumber: string): string | undefined {
  const m = /(?:^|\/)ewt\/([^/]+)\/(?:[^/]+\/)*([^/]+?)(?:\.xml)?$/.exec(doc);
  if (!m || !/^\d+$/.test(sentenceNumber)) return undefined;
  return `${m[1]}-${m[2]}-${String(Number(sentenceNumber) + 1).padStart(4, '0')}`;
}

export function alignEwt5(
  skeletons: readonly Conll2012Sentence[],
  ud: Readonly<Record<Split, readonly ConlluSentence[]>>,
): Ewt5Alignment {
  const byId = new Map<string, Conll2012Sentence>();
  const unaligned: UnalignedSentence[] = [];
  for (const s of skeletons) {
    const where = `${s.doc} ${s.part}`;
    const id = udIdOfSkeleton(s.doc, s.part);
    if (id === undefined)
      unaligned.push({
        id: where,
        skeleton: where,
        reason: 'document column is not an ewt/<genre>/... path',
      });
    else if (byId.has(id))
      unaligned.push({ id, skeleton: where, reason: 'two skeleton sentences claim this id' });
    else byId.set(id, s);
  }
  const splits = { train: [], dev: [], test: [] } as Record<Split, AlignedSentence[]>;
  const perSplit = {} as Ewt5AlignmentReport['perSplit'];
  const udWithoutSkeleton: string[] = [];
  const used = new Set<string>();
  let tokens = 0;
  let disagreeing = 0;
  for (const split of CORPUS_SPLITS) {
    for (const sentence of ud[split]) {
      const id = sentence.id;
      const skeleton = id === undefined ? undefined : byId.get(id);
      if (id === undefined || skeleton === undefined) {
        udWithoutSkeleton.push(id ?? `${split}:line ${sentence.line}`);
        continue;
      }
      used.add(id);
      if (skeleton.rows.length !== sentence.words.length) {
        unaligned.push({
          id,
          skeleton: `${skeleton.doc} ${skeleton.part}`,
          reason: `${skeleton.rows.length} skeleton tokens vs ${sentence.words.length} UD words`,
        });
        continue;
      }
      skeleton.rows.forEach((row, i) => {
        tokens++;
        if (row.pos !== sentence.words[i]!.xpos) disagreeing++;
      });
      splits[split].push({ id, ud: sentence, skeleton });
    }
    perSplit[split] = { ud: ud[split].length, aligned: splits[split].length };
  }
  for (const [id, s] of byId) {
    if (!used.has(id))
      unaligned.push({ id, skeleton: `${s.doc} ${s.part}`, reason: 'no UD sentence has this id' });
  }
  const alignedSentences = CORPUS_SPLITS.reduce((n, split) => n + splits[split].length, 0);
  return {
    splits,
    report: {
      skeletonSentences: skeletons.length,
      alignedSentences,
      rate: skeletons.length === 0 ? 0 : alignedSentences / skeletons.length,
      perSplit,
      unaligned,
      udWithoutSkeleton,
      tagDisagreements: { tokens, disagreeing },
    },
  };
}
