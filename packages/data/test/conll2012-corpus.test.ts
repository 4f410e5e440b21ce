import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  Conll2012Corpus,
  documentIdOfHeader,
  splitOfPath,
} from '../src/corpora/conll2012-corpus.js';
import { corpusStats } from '../src/corpora/corpus-stats.js';
import { CorpusNotFoundError } from '../src/errors.js';
import { treeToString } from '../src/trees/tree.js';
import { FIXTURES } from './support.js';

const ROOT = join(FIXTURES, 'conll2012');

describe('conll2012 corpus', () => {
  it('splits by the CoNLL-2012 folder names', () => {
    expect(
      splitOfPath('v4/data/development/data/english/annotations/nw/wsj/00/wsj_0002.v4_gold_conll'),
    ).toBe('dev');
    expect(splitOfPath('train.english.v4_gold_conll')).toBe('train');
    expect(splitOfPath('test/x_gold_conll')).toBe('test');
    expect(splitOfPath('other/x_gold_conll')).toBeUndefined();
    expect(documentIdOfHeader('#begin document (bc/cctv/00/cctv_0001); part 000')).toBe(
      'bc/cctv/00/cctv_0001',
    );
  });

  it('reads every split with POS, normalised trees, SRL, and NER outside the pt genre', async () => {
    const corpus = new Conll2012Corpus({ directory: ROOT });
    const train = await corpus.read('train');
    expect(train.map((s) => s.id)).toEqual(['nw/wsj/00/wsj_0001/0/0', 'nw/wsj/00/wsj_0001/0/1']);
    // Function tags (PP-CLR, NP-TMP) are stripped.
    expect(treeToString(train[0]!.annotations.con!)).toContain('(PP (IN as)');
    expect(treeToString(train[0]!.annotations.con!)).toContain('(NP (NNP Nov.) (CD 29))');
    expect((await corpus.read('dev'))[0]!.annotations.ner).toEqual([
      { start: 0, end: 2, label: 'PERSON' },
    ]);
    const [bible] = await corpus.read('test');
    expect(bible!.annotations.ner).toBeUndefined();
    expect(bible!.annotations.srl![0]!.roleset).toBe('create.01');
    const stats = await corpusStats(corpus);
    expect(stats.splits).toEqual({
      train: { sentences: 2, tokens: 31 },
      dev: { sentences: 1, tokens: 4 },
      test: { sentences: 1, tokens: 8 },
    });
    expect(stats.labels.ner).toEqual({ PERSON: 3, DATE: 2, NORP: 1, ORG: 1 });
    expect(stats.predicates).toBe(5);
  });

  it('follows split lists of document ids when given', async () => {
    const corpus = new Conll2012Corpus({
      directory: ROOT,
      splitLists: join(FIXTURES, 'conll2012-split-lists'),
    });
    expect((await corpus.read('train')).map((s) => s.id)).toEqual(['nw/wsj/00/wsj_0002/0/0']);
    expect((await corpus.read('test')).map((s) => s.id)).toHaveLength(2);
  });

  it('says where to point it when the folder is missing', async () => {
    await expect(
      new Conll2012Corpus({ directory: join(FIXTURES, 'nowhere') }).read('train'),
    ).rejects.toThrow(CorpusNotFoundError);
  });
});
