import { existsSync } from 'node:fs';
import { copyFile, mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { createRequire } from 'node:module';
import type { TokenizedBatch } from '@stem/core';
import type * as Tokenizers from 'tokenizers';
import { EncoderError } from '../errors.js';
import { readModelJson } from '../io/json-file.js';

// tokenizers is a CommonJS native addon.
const tokenizers = createRequire(import.meta.url)('tokenizers') as typeof Tokenizers;

export type TokenizerKind = 'tokenizer.json' | 'wordpiece' | 'bpe';

/** Ids of the special tokens the encoder inserts or substitutes. */
export interface SpecialIds {
  cls: number;
  sep: number;
  pad: number;
  mask: number;
  unk: number;
}

const SPECIAL_NAMES: Record<keyof SpecialIds, string[]> = {
  cls: ['[CLS]', '<s>'],
  sep: ['[SEP]', '</s>'],
  pad: ['[PAD]', '<pad>'],
  mask: ['[MASK]', '<mask>'],
  unk: ['[UNK]', '<unk>'],
};

/**
 * Sub-word tokenisation of pre-tokenised sentences through Hugging Face's `tokenizers`.
 * Words are encoded one at a time (the node binding has no pre-tokenised mode), which also
 * gives the word -> sub-word spans; byte-level BPE words get a leading space, as HF does
 * for `is_split_into_words` with `add_prefix_space`.
 */
export class SubwordTokenizer {
  private readonly cache = new Map<string, number[]>();

  private constructor(
    private readonly tokenizer: Tokenizers.Tokenizer,
    readonly kind: TokenizerKind,
    readonly specials: SpecialIds,
    private readonly byteLevel: boolean,
    /** Source files to copy when saving. */
    private readonly files: string[],
  ) {}

  static async fromDirectory(directory: string): Promise<SubwordTokenizer> {
    const at = (name: string): string => join(directory, name);
    const lowercase = await readLowercase(directory);
    if (existsSync(at('tokenizer.json'))) {
      // Parsed here first so a broken file is named with its line and column.
      const json = await readModelJson<{ model?: { type?: string }; pre_tokenizer?: unknown }>(
        at('tokenizer.json'),
      );
      const tokenizer = tokenizers.Tokenizer.fromFile(at('tokenizer.json'));
      const byteLevel = JSON.stringify(json.pre_tokenizer ?? null).includes('"ByteLevel"');
      return new SubwordTokenizer(
        tokenizer,
        'tokenizer.json',
        findSpecials(tokenizer, directory),
        byteLevel,
        withConfig(directory, ['tokenizer.json']),
      );
    }
    if (existsSync(at('vocab.txt'))) {
      const model = await tokenizers.WordPiece.fromFile(at('vocab.txt'), { unkToken: '[UNK]' });
      const tokenizer = new tokenizers.Tokenizer(model);
      tokenizer.setNormalizer(
        tokenizers.bertNormalizer({
          lowercase,
          stripAccents: lowercase,
          cleanText: true,
          handleChineseChars: true,
        }),
      );
      tokenizer.setPreTokenizer(tokenizers.bertPreTokenizer());
      return new SubwordTokenizer(
        tokenizer,
        'wordpiece',
        findSpecials(tokenizer, directory),
        false,
        withConfig(directory, ['vocab.txt']),
      );
    }
    if (existsSync(at('vocab.json')) && existsSync(at('merges.txt'))) {
      const model = await tokenizers.BPE.fromFile(at('vocab.json'), at('merges.txt'));
      const tokenizer = new tokenizers.Tokenizer(model);
      tokenizer.setPreTokenizer(tokenizers.byteLevelPreTokenizer(false, true));
      return new SubwordTokenizer(
        tokenizer,
        'bpe',
        findSpecials(tokenizer, directory),
        true,
        withConfig(directory, ['vocab.json', 'merges.txt']),
      );
    }
    throw new EncoderError(
      `no tokenizer in ${directory}`,
      'expected tokenizer.json, vocab.txt, or vocab.json + merges.txt',
    );
  }

  get vocabSize(): number {
    return this.tokenizer.getVocabSize(true);
  }

  tokenToId(token: string): number | undefined {
    return this.tokenizer.tokenToId(token) ?? undefined;
  }

  idToToken(id: number): string | undefined {
    return this.tokenizer.idToToken(id) ?? undefined;
  }

  /** [CLS] w1-pieces ... wn-pieces [SEP] with each word's inclusive sub-word span. No truncation. */
  async tokenize(sentences: readonly (readonly string[])[]): Promise<TokenizedBatch> {
    const unseen = [...new Set(sentences.flat())].filter((word) => !this.cache.has(word));
    if (unseen.length > 0) {
      const encodings = await this.tokenizer.encodeBatch(
        unseen.map((word) => (this.byteLevel ? ` ${word}` : word)),
        { addSpecialTokens: false },
      );
      unseen.forEach((word, i) => {
        const ids = encodings[i]?.getIds() ?? [];
        this.cache.set(word, ids.length > 0 ? ids : [this.specials.unk]);
      });
    }
    const batch: TokenizedBatch = { subwordIds: [], wordSpans: [], wordCounts: [] };
    for (const words of sentences) {
      const ids = [this.specials.cls];
      const spans: Array<[number, number]> = [];
      for (const word of words) {
        const pieces = this.cache.get(word) as number[];
        spans.push([ids.length, ids.length + pieces.length - 1]);
        ids.push(...pieces);
      }
      ids.push(this.specials.sep);
      batch.subwordIds.push(ids);
      batch.wordSpans.push(spans);
      batch.wordCounts.push(words.length);
    }
    return batch;
  }

  async save(directory: string, from: string): Promise<void> {
    await mkdir(directory, { recursive: true });
    for (const file of this.files)
      if (join(from, file) !== join(directory, file))
        await copyFile(join(from, file), join(directory, file));
  }

  get fileNames(): readonly string[] {
    return this.files;
  }
}

function withConfig(directory: string, files: string[]): string[] {
  for (const extra of ['tokenizer_config.json', 'special_tokens_map.json'])
    if (existsSync(join(directory, extra))) files.push(extra);
  return files;
}

async function readLowercase(directory: string): Promise<boolean> {
  const path = join(directory, 'tokenizer_config.json');
  if (!existsSync(path)) return false;
  const config = await readModelJson<{ do_lower_case?: boolean }>(path);
  return config.do_lower_case === true;
}

function findSpecials(tokenizer: Tokenizers.Tokenizer, directory: string): SpecialIds {
  const out: Partial<SpecialIds> = {};
  for (const [key, names] of Object.entries(SPECIAL_NAMES) as Array<[keyof SpecialIds, string[]]>) {
    for (const name of names) {
      const id = tokenizer.tokenToId(name);
      if (id !== null && id !== undefined) {
        out[key] = id;
        break;
      }
    }
    if (out[key] === undefined)
      throw new EncoderError(
        `the tokenizer in ${directory} has no ${key} token (looked for ${names.join(', ')})`,
      );
  }
  return out as SpecialIds;
}
