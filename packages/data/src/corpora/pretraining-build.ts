/**
 * `stem data build pretraining-en`: English running text for masked-LM pretraining, from the
 * npm packages of `PRETRAINING_SOURCES`. Documents go to train / dev / test by a hash of
 * their id (stable whatever else changes), and every sentence that also occurs in the dev or
 * test split of a treebank stem evaluates on (UD EWT, hence ewt-5; UD GUM, hence gum-ner) is
 * removed, so pretraining never sees an evaluation sentence.
 */
import { join } from 'node:path';
import type { Split } from '@stem/core';
import { formatPlainText } from '../readers/plain-text.js';
import { bundledUdDirectory } from './ud-files.js';
import { readUdSplit } from './ud-corpus.js';
import { defaultCorpusDirectory } from './data-home.js';
import {
  PRETRAINING_SOURCES,
  sourcePackageDirectory,
  type SourceDocument,
} from './pretraining-sources.js';

export const PRETRAINING_EN_NAME = 'pretraining-en';
/** Per mille of documents in dev and in test. */
const DEV_PER_MILLE = 10;
const TEST_PER_MILLE = 10;

export interface BuildPretrainingOptions {
  out?: string;
  /** Source names to include (default: all). */
  sources?: readonly string[];
  onProgress?: (message: string) => void;
}

export interface PretrainingSourceReport {
  name: string;
  npmPackage: string;
  version: string;
  license: string;
  documents: Record<Split, number>;
  sentences: Record<Split, number>;
  words: Record<Split, number>;
  /** Sentences dropped because a held-out treebank sentence is identical. */
  heldOutRemoved: number;
}

export interface PretrainingBuildResult {
  corpus: typeof PRETRAINING_EN_NAME;
  out: string;
  files: Record<Split, string>;
  sources: PretrainingSourceReport[];
  words: Record<Split, number>;
  /** The treebank splits whose sentences were held out. */
  heldOut: string[];
}

/** Whitespace- and tokenisation-independent key: "you ." and "you." are the same sentence. */
export function sentenceKey(words: readonly string[]): string {
  return words.join('').normalize('NFC');
}

/** Every sentence of the dev and test splits of UD EWT and UD GUM (ewt-5 and gum-ner use them). */
export async function heldOutSentenceKeys(): Promise<{ keys: Set<string>; splits: string[] }> {
  const keys = new Set<string>();
  const splits: string[] = [];
  for (const treebank of ['en_ewt', 'en_gum'] as const) {
    for (const split of ['dev', 'test'] as const) {
      const { sentences } = await readUdSplit(treebank, split, bundledUdDirectory());
      for (const s of sentences) keys.add(sentenceKey(s.words.map((w) => w.form)));
      splits.push(`${treebank}-ud-${split}`);
    }
  }
  return { keys, splits };
}

// Sources carry a few stray control characters (a lost "1/2" in one address); running text has none.
const CONTROL = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]/g;

function cleanWords(words: readonly string[]): string[] {
  return words.map((w) => w.replace(CONTROL, '')).filter((w) => w !== '');
}

/** FNV-1a: a stable split assignment that needs no randomness. */
function hash(text: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h;
}

export function pretrainingSplitOf(source: string, documentId: string): Split {
  const bucket = hash(`${source}/${documentId}`) % 1000;
  if (bucket < DEV_PER_MILLE) return 'dev';
  if (bucket < DEV_PER_MILLE + TEST_PER_MILLE) return 'test';
  return 'train';
}

const zeroSplits = (): Record<Split, number> => ({ train: 0, dev: 0, test: 0 });

export async function buildPretrainingEn(
  options: BuildPretrainingOptions = {},
): Promise<PretrainingBuildResult> {
  // Core's runtime (tfjs, DI) is loaded only by a build, never by reading.
  const { writeFileAtomic } = await import('@stem/core');
  const { readFile } = await import('node:fs/promises');
  const progress = options.onProgress ?? (() => {});
  const out = options.out ?? defaultCorpusDirectory(PRETRAINING_EN_NAME);
  const wanted = options.sources ?? PRETRAINING_SOURCES.map((s) => s.name);
  for (const name of wanted) {
    if (!PRETRAINING_SOURCES.some((s) => s.name === name)) {
      throw new Error(
        `unknown pretraining source "${name}"; known: ${PRETRAINING_SOURCES.map((s) => s.name).join(', ')}`,
      );
    }
  }
  progress('collecting the held-out sentences (UD EWT and GUM dev/test)');
  const heldOut = await heldOutSentenceKeys();
  const documents: Record<Split, SourceDocument[]> = { train: [], dev: [], test: [] };
  const reports: PretrainingSourceReport[] = [];
  for (const source of PRETRAINING_SOURCES.filter((s) => wanted.includes(s.name))) {
    const directory = sourcePackageDirectory(source);
    const version = (
      JSON.parse(await readFile(join(directory, 'package.json'), 'utf8')) as { version: string }
    ).version;
    const report: PretrainingSourceReport = {
      name: source.name,
      npmPackage: source.npmPackage,
      version,
      license: source.license,
      documents: zeroSplits(),
      sentences: zeroSplits(),
      words: zeroSplits(),
      heldOutRemoved: 0,
    };
    progress(`reading ${source.name} (${source.npmPackage}@${version})`);
    for await (const document of source.documents(directory)) {
      const cleaned = document.sentences.map(cleanWords).filter((words) => words.length > 0);
      const kept = cleaned.filter((words) => !heldOut.keys.has(sentenceKey(words)));
      report.heldOutRemoved += cleaned.length - kept.length;
      if (kept.length === 0) continue;
      const split = pretrainingSplitOf(source.name, document.id);
      documents[split].push({ id: `${source.name}/${document.id}`, sentences: kept });
      report.documents[split] += 1;
      report.sentences[split] += kept.length;
      report.words[split] += kept.reduce((n, words) => n + words.length, 0);
    }
    reports.push(report);
  }
  const files = {
    train: join(out, 'train.txt'),
    dev: join(out, 'dev.txt'),
    test: join(out, 'test.txt'),
  };
  for (const split of ['train', 'dev', 'test'] as const) {
    progress(`writing ${files[split]}`);
    await writeFileAtomic(files[split], formatPlainText(documents[split]));
  }
  const words = zeroSplits();
  for (const r of reports)
    for (const split of ['train', 'dev', 'test'] as const) words[split] += r.words[split];
  const result: PretrainingBuildResult = {
    corpus: PRETRAINING_EN_NAME,
    out,
    files,
    sources: reports,
    words,
    heldOut: heldOut.splits,
  };
  await writeFileAtomic(join(out, 'corpus.json'), `${JSON.stringify(result, null, 2)}\n`);
  return result;
}
