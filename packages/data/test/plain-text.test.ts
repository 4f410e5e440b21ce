import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { PlainTextCorpus } from '../src/corpora/plain-text-corpus.js';
import { parsePlainText } from '../src/readers/plain-text.js';

describe('plain text', () => {
  it('reads one whitespace-tokenised sentence per line, skipping blank lines, ids by line', () => {
    const text = 'The cat  sat .\r\n\n   \n\tA dog ran\n';
    expect(parsePlainText(text, 'corpus/train.txt')).toEqual([
      { id: 'corpus/train.txt:1', words: ['The', 'cat', 'sat', '.'], annotations: {} },
      { id: 'corpus/train.txt:4', words: ['A', 'dog', 'ran'], annotations: {} },
    ]);
  });

  it('reads the splits of a folder and names a missing split file', async () => {
    const directory = await mkdtemp(join(tmpdir(), 'stem-plain-'));
    await writeFile(join(directory, 'train.txt'), 'one two\nthree\n');
    const corpus = new PlainTextCorpus(directory);
    expect((await corpus.read('train')).map((s) => s.words)).toEqual([['one', 'two'], ['three']]);
    await expect(corpus.read('dev')).rejects.toThrow(
      `${join(directory, 'dev.txt')} does not exist`,
    );
  });
});
