import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  buildPretrainingEn,
  heldOutSentenceKeys,
  pretrainingSplitOf,
  sentenceKey,
  type PretrainingBuildResult,
} from '../src/corpora/pretraining-build.js';
import { PretrainingCorpus, packDocuments } from '../src/corpora/pretraining-corpus.js';
import { DataFormatError } from '../src/errors.js';
import { formatPlainText, parsePlainText } from '../src/readers/plain-text.js';
import { splitSentences } from '../src/text/sentence-splitter.js';

describe('plain-text reader', () => {
  it('reads sentences per line and documents between blank lines, and writes them back', () => {
    const text = 'The cat sat .\nIt purred .\n\n\nA second   document here\n';
    const documents = parsePlainText(text, 'x.txt');
    expect(documents).toEqual([
      {
        index: 0,
        line: 1,
        sentences: [
          ['The', 'cat', 'sat', '.'],
          ['It', 'purred', '.'],
        ],
      },
      { index: 1, line: 5, sentences: [['A', 'second', 'document', 'here']] },
    ]);
    expect(parsePlainText(formatPlainText(documents), 'y.txt')).toEqual(
      documents.map((d, i) => ({ ...d, line: i === 0 ? 1 : 4 })),
    );
  });

  it('rejects binary input, naming the file and line', () => {
    expect(() => parsePlainText('fine\nbad \u0000 byte\n', 'corpus.txt')).toThrow(DataFormatError);
    expect(() => parsePlainText('fine\nbad \u0000 byte\n', 'corpus.txt')).toThrow(
      /^corpus\.txt:2: control character U\+0000/,
    );
    expect(() => parsePlainText('ok\n\ufffd\n', 'latin1.txt')).toThrow(
      /latin1\.txt:2: invalid UTF-8/,
    );
  });
});

describe('sentence splitter', () => {
  it('splits at sentence ends but not after titles and initials', () => {
    expect(
      splitSentences('Mr. Smith met Dr. Jones in Washington. John F. Kennedy spoke! Did he? Yes.'),
    ).toEqual([
      'Mr. Smith met Dr. Jones in Washington.',
      'John F. Kennedy spoke!',
      'Did he?',
      'Yes.',
    ]);
  });
});

describe('packing', () => {
  it('joins consecutive sentences of one document up to the word budget, never across documents', () => {
    const documents = parsePlainText('a b c\nd e\nf g h i\n\nj k\n', 'p.txt');
    const packed = packDocuments(documents, 5, 'train');
    expect(packed.map((s) => s.words.join(' '))).toEqual(['a b c d e', 'f g h i', 'j k']);
    expect(packed.map((s) => s.id)).toEqual(['train-1', 'train-3', 'train-5']);
    expect(packDocuments(documents, 0, 'dev').map((s) => s.words.length)).toEqual([3, 2, 4, 2]);
  });
});

describe('pretraining-en', () => {
  let out: string;
  let built: PretrainingBuildResult;

  beforeAll(async () => {
    out = await mkdtemp(join(tmpdir(), 'stem-pretraining-'));
    built = await buildPretrainingEn({ out });
  }, 240_000);
  afterAll(() => rm(out, { recursive: true, force: true }));

  it('contains no dev or test sentence of UD EWT / GUM (so none of ewt-5 or gum-ner)', async () => {
    const heldOut = await heldOutSentenceKeys();
    expect(heldOut.keys.size).toBeGreaterThan(5000);
    let sentences = 0;
    for (const split of ['train', 'dev', 'test'] as const) {
      const file = join(out, `${split}.txt`);
      for (const document of parsePlainText(await readFile(file, 'utf8'), file)) {
        for (const words of document.sentences) {
          sentences += 1;
          expect(heldOut.keys.has(sentenceKey(words)), words.join(' ')).toBe(false);
        }
      }
    }
    expect(sentences).toBeGreaterThan(300_000);
    // The filter is what keeps them out: EWT's own training split repeats some of them.
    const ewtTrain = built.sources.find((s) => s.name === 'ud-ewt-train')!;
    expect(ewtTrain.heldOutRemoved).toBeGreaterThan(0);
  });

  it('records every source with its package version, license and counts', async () => {
    const recorded = JSON.parse(
      await readFile(join(out, 'corpus.json'), 'utf8'),
    ) as PretrainingBuildResult;
    expect(recorded.sources.map((s) => s.name)).toEqual([
      'brown',
      'sotu',
      'moby-dick',
      'wordnet',
      'ud-ewt-train',
      'ud-gum-train',
    ]);
    for (const source of recorded.sources) {
      expect(source.license.length, source.name).toBeGreaterThan(10);
      expect(source.version).toMatch(/^\d+\.\d+\.\d+/);
      expect(source.words.train, source.name).toBeGreaterThan(100_000);
    }
    const reader = new PretrainingCorpus({ directory: out });
    const dev = await reader.read('dev');
    expect(dev.reduce((n, s) => n + s.words.length, 0)).toBe(recorded.words.dev);
    expect(dev.every((s) => Object.keys(s.annotations).length === 0)).toBe(true);
  });

  it('assigns documents to splits by a stable hash, about 1% each to dev and test', () => {
    const splits = Array.from({ length: 20_000 }, (_, i) => pretrainingSplitOf('src', `doc-${i}`));
    const share = (split: string) => splits.filter((s) => s === split).length / splits.length;
    expect(share('dev')).toBeGreaterThan(0.007);
    expect(share('dev')).toBeLessThan(0.013);
    expect(share('test')).toBeGreaterThan(0.007);
    expect(share('test')).toBeLessThan(0.013);
    expect(pretrainingSplitOf('src', 'doc-7')).toBe(pretrainingSplitOf('src', 'doc-7'));
  });

  it('says how to build it when it is missing', async () => {
    await expect(
      new PretrainingCorpus({ directory: join(out, 'nope') }).read('train'),
    ).rejects.toThrow(/plain-text split .*nope\/train\.txt does not exist/);
  });
});
