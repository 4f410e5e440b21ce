import { mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ConlluFilesCorpus, splitFileIn } from '../src/corpora/conllu-files-corpus.js';
import { CorpusNotFoundError } from '../src/errors.js';
import { conlluToSentence, parseConllu } from '../src/readers/conllu.js';
import { EWT_DEV } from './support.js';

// CoNLL-X as CoreNLP's Stanford-dependency converter writes it (PHEAD / PDEPREL empty).
const CONLLX = [
  '1\tThe\t_\tDT\tDT\t_\t2\tdet\t_\t_',
  '2\tdog\t_\tNN\tNN\t_\t3\tnsubj\t_\t_',
  '3\tbarked\t_\tVBD\tVBD\t_\t0\troot\t_\t_',
  '4\t.\t_\t.\t.\t_\t3\tpunct\t_\t_',
  '',
  '1\tGo\t_\tVB\tVB\t_\t0\troot\t_\t_',
  '2\t!\t_\t.\t.\t_\t1\tpunct\t_\t_',
  '',
].join('\n');

describe('conllu-files dataset (converted dependency files by path)', () => {
  it('reads CoNLL-X files found by split name in a folder: words, POS and basic trees', async () => {
    const folder = await mkdtemp(join(tmpdir(), 'stem-conllx-'));
    for (const name of ['train.sd.conllx', 'development.sd.conllx', 'test.sd.conllx', 'notes.txt'])
      await writeFile(join(folder, name), CONLLX);
    expect(splitFileIn(folder, 'dev')).toBe(join(folder, 'development.sd.conllx'));
    const corpus = new ConlluFilesCorpus({ directory: folder });
    const train = await corpus.read('train');
    expect(train).toHaveLength(2);
    expect(train[0]).toEqual({
      id: 'train-1',
      words: ['The', 'dog', 'barked', '.'],
      annotations: {
        pos: ['DT', 'NN', 'VBD', '.'],
        upos: ['DT', 'NN', 'VBD', '.'],
        dep: { heads: [2, 3, 0, 3], relations: ['det', 'nsubj', 'root', 'punct'] },
      },
    });
    expect((await corpus.read('test'))[1]?.annotations.dep?.heads).toEqual([0, 1]);
  });

  it('reads explicit files, here the real UD EWT dev file (multi-word tokens set aside)', async () => {
    const corpus = new ConlluFilesCorpus({ files: { dev: EWT_DEV }, pos: 'upos' });
    const sentences = await corpus.read('dev');
    const reference = parseConllu(await readFile(EWT_DEV, 'utf8'), EWT_DEV).sentences;
    expect(sentences).toHaveLength(reference.length);
    expect(sentences.map((s) => s.annotations.dep)).toEqual(
      reference.map((s) => conlluToSentence(s).annotations.dep),
    );
    expect(sentences[0]?.annotations.pos).toEqual(sentences[0]?.annotations.upos);
  });

  it('says which split is missing or ambiguous and how to fix it', async () => {
    const folder = await mkdtemp(join(tmpdir(), 'stem-conllx-'));
    await writeFile(join(folder, 'train.conllu'), CONLLX);
    await writeFile(join(folder, 'test-a.conllu'), CONLLX);
    await writeFile(join(folder, 'test-b.conllu'), CONLLX);
    const corpus = new ConlluFilesCorpus({ directory: folder });
    await expect(corpus.read('dev')).rejects.toThrow(/no .* file in .* has "dev" in its name/);
    await expect(corpus.read('test')).rejects.toThrow(
      /several files .* test split: test-a.conllu, test-b.conllu/,
    );
    await expect(new ConlluFilesCorpus({ files: {} }).read('train')).rejects.toThrow(
      CorpusNotFoundError,
    );
    await expect(
      new ConlluFilesCorpus({ files: { train: join(folder, 'nope.conllu') } }).read('train'),
    ).rejects.toThrow(/train file .*nope.conllu does not exist/);
  });
});
