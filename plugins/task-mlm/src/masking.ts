/** What masking draws from: core's SeededRandom satisfies it. */
export interface MaskingRandom {
  /** Uniform float in [0, 1). */
  next(): number;
  /** Uniform integer in [0, maxExclusive). */
  int(maxExclusive: number): number;
}

export interface MaskingOptions {
  /** Probability that a sub-word is selected for prediction. */
  rate: number;
  /** Share of selected sub-words replaced by the mask id. */
  maskShare: number;
  /** Share of selected sub-words replaced by a random id; the rest stay unchanged. */
  randomShare: number;
  maskId: number;
  /** Ids that are never selected ([CLS], [SEP], [PAD], [MASK]). */
  neverMasked: ReadonlySet<number>;
  /** Random replacements are drawn uniformly from [0, vocabularySize) minus `neverReplacement`. */
  vocabularySize: number;
  neverReplacement: ReadonlySet<number>;
}

/** One row's masking: the ids to encode and, per selected position, the original id. */
export interface MaskedRow {
  ids: number[];
  positions: number[];
  labels: number[];
}

/**
 * BERT's masking of one sub-word row: each non-special position is selected with
 * probability `rate`; a selected one becomes [MASK] (maskShare), a random token
 * (randomShare) or stays as it is, and must be predicted in all three cases. Every draw
 * comes from `random`, in position order, so the same stream masks the same way.
 */
export function maskRow(
  ids: readonly number[],
  options: MaskingOptions,
  random: MaskingRandom,
): MaskedRow {
  const out = [...ids];
  const positions: number[] = [];
  const labels: number[] = [];
  for (let t = 0; t < ids.length; t++) {
    const id = ids[t] as number;
    if (options.neverMasked.has(id) || random.next() >= options.rate) continue;
    positions.push(t);
    labels.push(id);
    const choice = random.next();
    if (choice < options.maskShare) out[t] = options.maskId;
    else if (choice < options.maskShare + options.randomShare)
      out[t] = randomToken(options, random);
  }
  return { ids: out, positions, labels };
}

function randomToken(options: MaskingOptions, random: MaskingRandom): number {
  if (options.neverReplacement.size >= options.vocabularySize)
    throw new Error('masking: the vocabulary has no ordinary token to draw a replacement from');
  for (;;) {
    const id = random.int(options.vocabularySize);
    if (!options.neverReplacement.has(id)) return id;
  }
}
