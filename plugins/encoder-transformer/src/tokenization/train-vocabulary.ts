import { existsSync } from 'node:fs';
import { mkdtemp, mkdir, readdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import type * as Tokenizers from 'tokenizers';
import { EncoderError } from '../errors.js';

const tokenizers = createRequire(import.meta.url)('tokenizers') as typeof Tokenizers;

export type VocabularyKind = 'wordpiece' | 'bpe';

export interface TrainVocabularyOptions {
  kind: VocabularyKind;
  /**
   * Text files (one sentence per line), CoNLL/CoNLL-U files (the FORM column is used), or
   * folders (a built dataset): every .txt/.conll/.conllu file inside, recursively.
   */
  files: string[];
  /** Largest vocabulary kept, special tokens included. */
  vocabSize: number;
  /** Where vocab.txt (WordPiece) or vocab.json + merges.txt (BPE) are written. */
  directory: string;
}

const WORDPIECE_SPECIALS = ['[PAD]', '[UNK]', '[CLS]', '[SEP]', '[MASK]'];
const BPE_SPECIALS = ['<s>', '<pad>', '</s>', '<unk>'];

/**
 * Trains a cased WordPiece (BERT/ELECTRA) or byte-level BPE (RoBERTa) vocabulary with
 * Hugging Face's tokenizers and writes it in the classic HF file layout, special tokens at
 * the ids HF models expect ([PAD]=0 for BERT; <s>=0, <pad>=1, </s>=2 for RoBERTa). The node
 * binding trains with default trainer settings, so the size limit is applied afterwards by
 * keeping the earliest-learned tokens (and, for BPE, the merges that build them).
 */
export async function trainVocabulary(
  options: TrainVocabularyOptions,
): Promise<{ vocabSize: number; files: string[] }> {
  const scratch = await mkdtemp(join(tmpdir(), 'stem-vocab-'));
  try {
    const files = await expandInputs(options.files);
    const inputs = await Promise.all(
      files.map((file, i) => asPlainText(file, join(scratch, `${i}-${basename(file)}.txt`))),
    );
    const bpe = options.kind === 'bpe';
    const tokenizer = new tokenizers.Tokenizer(
      bpe ? tokenizers.BPE.empty() : tokenizers.WordPiece.empty(),
    );
    if (bpe) tokenizer.setPreTokenizer(tokenizers.byteLevelPreTokenizer(true, true));
    else {
      tokenizer.setNormalizer(tokenizers.bertNormalizer({ lowercase: false, stripAccents: false }));
      tokenizer.setPreTokenizer(tokenizers.bertPreTokenizer());
    }
    tokenizer.train(inputs);
    const saved = join(scratch, 'tokenizer.json');
    tokenizer.save(saved);
    const model = (
      JSON.parse(await readFile(saved, 'utf8')) as {
        model: { vocab: Record<string, number>; merges?: Array<string | [string, string]> };
      }
    ).model;
    const learned = Object.entries(model.vocab)
      .sort((a, b) => a[1] - b[1])
      .map(([token]) => token);
    await mkdir(options.directory, { recursive: true });
    if (!bpe) {
      const vocab = dedupe([...WORDPIECE_SPECIALS, ...learned]).slice(0, options.vocabSize);
      await writeFile(join(options.directory, 'vocab.txt'), `${vocab.join('\n')}\n`);
      await writeFile(
        join(options.directory, 'tokenizer_config.json'),
        `${JSON.stringify({ do_lower_case: false, tokenizer_class: 'BertTokenizer' }, null, 2)}\n`,
      );
      return { vocabSize: vocab.length, files: ['vocab.txt', 'tokenizer_config.json'] };
    }
    // Every byte must stay reachable, so the byte alphabet is kept whatever the size limit.
    const vocab = dedupe([
      ...BPE_SPECIALS,
      ...tokenizers.byteLevelAlphabet().sort(),
      ...learned,
    ]).slice(0, Math.max(options.vocabSize - 1, 260));
    vocab.push('<mask>');
    const known = new Set(vocab);
    const merges = (model.merges ?? [])
      .map((merge) => (typeof merge === 'string' ? (merge.split(' ') as [string, string]) : merge))
      .filter(([left, right]) => known.has(left) && known.has(right) && known.has(left + right));
    await writeFile(
      join(options.directory, 'vocab.json'),
      `${JSON.stringify(Object.fromEntries(vocab.map((token, id) => [token, id])))}\n`,
    );
    await writeFile(
      join(options.directory, 'merges.txt'),
      `#version: 0.2\n${merges.map(([l, r]) => `${l} ${r}`).join('\n')}\n`,
    );
    return { vocabSize: vocab.length, files: ['vocab.json', 'merges.txt'] };
  } finally {
    await rm(scratch, { recursive: true, force: true });
  }
}

async function expandInputs(paths: string[]): Promise<string[]> {
  const out: string[] = [];
  for (const path of paths) {
    if (!existsSync(path))
      throw new EncoderError(
        `vocabulary source ${path} does not exist`,
        'give text files, CoNLL(-U) files or a folder holding them',
      );
    if (!(await stat(path)).isDirectory()) {
      out.push(path);
      continue;
    }
    const entries = (await readdir(path, { recursive: true, withFileTypes: true }))
      .filter((entry) => entry.isFile() && /\.(txt|conllu?)$/i.test(entry.name))
      .map((entry) => join(entry.parentPath, entry.name))
      .sort();
    if (entries.length === 0)
      throw new EncoderError(`${path} holds no .txt, .conll or .conllu files`);
    out.push(...entries);
  }
  return out;
}

function dedupe(tokens: string[]): string[] {
  return [...new Set(tokens)];
}

/** CoNLL(-U) files become one sentence per line (FORM column); text files are used as they are. */
async function asPlainText(file: string, scratchPath: string): Promise<string> {
  const text = await readFile(file, 'utf8');
  const firstLine =
    text.split('\n').find((line) => line.trim() !== '' && !line.startsWith('#')) ?? '';
  if (!/\.conllu?$/i.test(file) && !firstLine.includes('\t')) return file;
  const sentences: string[] = [];
  let words: string[] = [];
  for (const line of text.split('\n')) {
    if (line.trim() === '') {
      if (words.length > 0) sentences.push(words.join(' '));
      words = [];
    } else if (!line.startsWith('#')) {
      const columns = line.split('\t');
      // Skip CoNLL-U multi-word ranges (1-2) and empty nodes (1.1).
      if (columns.length > 1 && /^\d+$/.test(columns[0] ?? '')) words.push(columns[1] as string);
    }
  }
  if (words.length > 0) sentences.push(words.join(' '));
  await writeFile(scratchPath, `${sentences.join('\n')}\n`);
  return scratchPath;
}
