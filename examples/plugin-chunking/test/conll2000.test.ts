import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { chunksToTags, tagsToChunks } from '../src/chunk-tags.js';
import { parseConll2000 } from '../src/conll2000.js';
import { Conll2000Dataset, DEFAULT_SPLIT_FILES } from '../src/conll2000-dataset.js';

const sample = new Conll2000Dataset({ ...DEFAULT_SPLIT_FILES });

describe('CoNLL-2000 reader', () => {
  it('reads the bundled sample: 24 / 6 / 6 sentences carrying chunks and pos', async () => {
    const train = await sample.read('train');
    expect([
      train.length,
      (await sample.read('dev')).length,
      (await sample.read('test')).length,
    ]).toEqual([24, 6, 6]);
    // The file's first sentence, read by hand from train.txt lines 1-16.
    const first = train[0]!;
    expect(first.id).toBe('train:1');
    expect(first.words.slice(0, 6)).toEqual(['Two', 'of', 'them', 'were', 'being', 'run']);
    expect(first.annotations.pos?.slice(0, 3)).toEqual(['CD', 'IN', 'PRP']);
    expect(first.annotations.chunks).toEqual([
      { start: 0, end: 1, label: 'NP' },
      { start: 1, end: 2, label: 'PP' },
      { start: 2, end: 3, label: 'NP' },
      { start: 3, end: 6, label: 'VP' },
      { start: 6, end: 7, label: 'PP' },
      { start: 7, end: 9, label: 'NP' },
      { start: 9, end: 10, label: 'PP' },
      { start: 10, end: 12, label: 'NP' },
      { start: 12, end: 13, label: 'PP' },
      { start: 13, end: 15, label: 'NP' },
    ]);
    expect(train[1]!.id).toBe('train:18');
    for (const sentence of train) {
      expect(sentence.annotations.pos).toHaveLength(sentence.words.length);
      // Reading is lossless: the chunks give back the file's tags.
      expect(
        tagsToChunks(chunksToTags(sentence.annotations.chunks!, sentence.words.length)),
      ).toEqual(sentence.annotations.chunks);
    }
  });

  it('accepts tabs, CRLF and a missing final blank line', () => {
    const sentences = parseConll2000(
      'He\tPRP\tB-NP\r\nran VBD B-VP\r\n\r\n\r\nOK UH B-INTJ',
      'x.txt',
    );
    expect(sentences.map((s) => [s.words, s.tags, s.line])).toEqual([
      [['He', 'ran'], ['B-NP', 'B-VP'], 1],
      [['OK'], ['B-INTJ'], 5],
    ]);
  });

  it('names file and line of a malformed line', () => {
    const text = 'He PRP B-NP\nran VBD\n';
    expect(() => parseConll2000(text, 'bad.txt')).toThrow(
      'bad.txt:2: expected 3 columns (word POS chunk-tag), found 2: "ran VBD"',
    );
    expect(() => parseConll2000('He PRP NP\n', 'bad.txt')).toThrow(
      'bad.txt:1: "NP" is not a chunk tag (expected O, B-<type> or I-<type>)',
    );
    const error = (() => {
      try {
        return parseConll2000('a b c d\n', 'bad.txt');
      } catch (thrown) {
        return thrown as Error & { hint: string };
      }
    })();
    // The name stem maps to the DATA_FORMAT code; the hint says what the format is.
    expect(error).toMatchObject({
      name: 'DataFormatError',
      hint: expect.stringMatching(/word POS chunk-tag/),
    });
  });

  it('reports a missing split file with the path and how to set it', async () => {
    const directory = await mkdtemp(join(tmpdir(), 'chunk-data-'));
    await writeFile(join(directory, 'train.txt'), 'He PRP B-NP\n');
    const dataset = new Conll2000Dataset({ path: directory, ...DEFAULT_SPLIT_FILES });
    expect(await dataset.read('train')).toHaveLength(1);
    const error = (await dataset.read('dev').catch((e: unknown) => e)) as Error & {
      hint: string;
    };
    expect(error.name).toBe('CorpusNotFoundError');
    expect(error.message).toBe(`CoNLL-2000 dev file ${join(directory, 'dev.txt')} does not exist`);
    expect(error.hint).toMatch(/set the dataset's `path`.*`dev`/);
  });
});

describe('chunk tags', () => {
  it('reads I- tags that continue no chunk as conlleval does: they start one', () => {
    expect(tagsToChunks(['I-NP', 'I-NP', 'O', 'I-VP', 'B-VP', 'I-NP', 'B-PP'])).toEqual([
      { start: 0, end: 2, label: 'NP' },
      { start: 3, end: 4, label: 'VP' },
      { start: 4, end: 5, label: 'VP' },
      { start: 5, end: 6, label: 'NP' },
      { start: 6, end: 7, label: 'PP' },
    ]);
  });

  it('writes IOB2 tags and refuses overlapping or out-of-range chunks', () => {
    expect(
      chunksToTags(
        [
          { start: 0, end: 2, label: 'NP' },
          { start: 3, end: 4, label: 'VP' },
        ],
        5,
      ),
    ).toEqual(['B-NP', 'I-NP', 'O', 'B-VP', 'O']);
    expect(() =>
      chunksToTags(
        [
          { start: 0, end: 2, label: 'NP' },
          { start: 1, end: 3, label: 'VP' },
        ],
        3,
      ),
    ).toThrow('chunks overlap at word 2 (I-NP and VP)');
    expect(() => chunksToTags([{ start: 2, end: 4, label: 'NP' }], 3)).toThrow(
      'chunk NP [2, 4) lies outside a sentence of 3 words',
    );
  });
});
