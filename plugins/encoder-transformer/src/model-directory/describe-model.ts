import { readArchitecture } from '../io/checkpoint.js';
import {
  type Architecture,
  headSize,
  maxSequenceLength,
  parameterCount,
} from '../model/architecture.js';
import { SubwordTokenizer, type TokenizerKind } from '../tokenization/subword-tokenizer.js';

export interface ModelDescription {
  directory: string;
  arch: Architecture['arch'];
  layers: number;
  heads: number;
  /** layers x heads, the number of gates and probe cells. */
  totalHeads: number;
  hiddenSize: number;
  headSize: number;
  intermediateSize: number;
  embeddingSize: number;
  maxPositions: number;
  /** Longest sub-word sequence one window holds (specials included). */
  maxSequenceLength: number;
  vocabSize: number;
  parameters: number;
  tokenizer: {
    kind: TokenizerKind;
    vocabSize: number;
    files: string[];
    specials: Record<string, string | undefined>;
  };
}

/** What `stem model inspect` reports: read from config.json and the tokenizer, no weights loaded. */
export async function describeModel(directory: string): Promise<ModelDescription> {
  const { architecture: a } = await readArchitecture(directory);
  const tokenizer = await SubwordTokenizer.fromDirectory(directory);
  const specials = Object.fromEntries(
    Object.entries(tokenizer.specials).map(([key, id]) => [key, tokenizer.idToToken(id)]),
  );
  return {
    directory,
    arch: a.arch,
    layers: a.layers,
    heads: a.heads,
    totalHeads: a.layers * a.heads,
    hiddenSize: a.hiddenSize,
    headSize: headSize(a),
    intermediateSize: a.intermediateSize,
    embeddingSize: a.embeddingSize,
    maxPositions: a.maxPositions,
    maxSequenceLength: maxSequenceLength(a),
    vocabSize: a.vocabSize,
    parameters: parameterCount(a),
    tokenizer: {
      kind: tokenizer.kind,
      vocabSize: tokenizer.vocabSize,
      files: [...tokenizer.fileNames],
      specials,
    },
  };
}
