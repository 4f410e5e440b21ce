import type { Sentence } from '../contracts/annotations.js';
import type { Encoder, TokenizedBatch } from '../contracts/encoder.js';
import { planBatches, type BatchLimits } from './batch-plan.js';

/** One task split, tokenised once up front: batches are then cut without re-tokenising. */
export class TokenizedCorpus {
  private constructor(
    readonly sentences: readonly Sentence[],
    private readonly tokens: TokenizedBatch,
  ) {}

  static async create(
    encoder: Encoder,
    sentences: readonly Sentence[],
    chunk = 512,
  ): Promise<TokenizedCorpus> {
    const tokens: TokenizedBatch = { subwordIds: [], wordSpans: [], wordCounts: [] };
    for (let start = 0; start < sentences.length; start += chunk) {
      const part = await encoder.tokenize(
        sentences.slice(start, start + chunk).map((s) => s.words),
      );
      tokens.subwordIds.push(...part.subwordIds);
      tokens.wordSpans.push(...part.wordSpans);
      tokens.wordCounts.push(...part.wordCounts);
    }
    return new TokenizedCorpus(sentences, tokens);
  }

  get subwordLengths(): number[] {
    return this.tokens.subwordIds.map((ids) => ids.length);
  }

  get subwordCount(): number {
    return this.tokens.subwordIds.reduce((sum, ids) => sum + ids.length, 0);
  }

  batches(limits: BatchLimits): number[][] {
    return planBatches(this.subwordLengths, limits);
  }

  /** The sentences and their sub-word view for the given sentence indices. */
  batch(indices: readonly number[]): { sentences: Sentence[]; tokens: TokenizedBatch } {
    return {
      sentences: indices.map((i) => this.sentences[i] as Sentence),
      tokens: {
        subwordIds: indices.map((i) => this.tokens.subwordIds[i] as number[]),
        wordSpans: indices.map((i) => this.tokens.wordSpans[i] as Array<[number, number]>),
        wordCounts: indices.map((i) => this.tokens.wordCounts[i] as number),
      },
    };
  }
}
