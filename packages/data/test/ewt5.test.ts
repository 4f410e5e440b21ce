import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { readFileSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { create as createTar } from 'tar';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { corpusStats } from '../src/corpora/corpus-stats.js';
import { udIdOfSkeleton } from '../src/corpora/ewt5-alignment.js';
import { buildEwt5 } from '../src/corpora/ewt5-build.js';
import { Ewt5Corpus } from '../src/corpora/ewt5-corpus.js';
import { CorpusNotFoundError } from '../src/errors.js';
import { parseConllu } from '../src/readers/conllu.js';
import { treeWords } from '../src/trees/tree.js';
import { EWT_DEV, FIXTURES, PROPBANK_SOURCE } from './support.js';

const DOC = 'google/ewt/weblog/00/blogspot.com_nominations_20041117172713_ENG_20041117_172713.xml';

/** A skeleton row set for a UD sentence: a flat tree, the first word as predicate, the second as its ARG1. */
function skeleton(number: number, tags: readonly string[]): string {
  return tags
    .map((tag, i) => {
      const bit = (i === 0 ? '(TOP(S*' : '*') + (i === tags.length - 1 ? '))' : '');
      const predicate = i === 0 ? ['x', 'x.01', '(V*)'] : ['-', '-', i === 1 ? '(ARG1*)' : '*'];
      return [DOC, number, i, '[WORD]', tag, bit, ...predicate].join('   ');
    })
    .join('\n');
}

describe('ewt-5', () => {
  let work: string;
  const ud = parseConllu(readFileSync(EWT_DEV, 'utf8')).sentences;
  const tags = (k: number) => ud[k]!.words.map((w) => w.xpos);

  beforeAll(async () => {
    work = await mkdtemp(join(tmpdir(), 'stem-ewt5-'));
    const folder = join(work, 'release/data/google/ewt/weblog/00');
    await mkdir(folder, { recursive: true });
    const text =
      [
        skeleton(0, tags(0)),
        skeleton(1, tags(1).slice(1)),
        skeleton(2, tags(2)),
        skeleton(99, ['NN', 'NN']),
      ].join('\n\n') + '\n';
    await writeFile(
      join(folder, 'blogspot.com_nominations_20041117172713_ENG_20041117_172713.xml.gold_skel'),
      text,
    );
    // The full release also carries OntoNotes skeletons: they must be ignored, not reported.
    await mkdir(join(work, 'release/data/ontonotes/nw/wsj/00'), { recursive: true });
    await writeFile(
      join(work, 'release/data/ontonotes/nw/wsj/00/wsj_0001.gold_skel'),
      'nw/wsj/00/wsj_0001 0 0 [WORD] NN (TOP*) - -\n',
    );
    await createTar({ gzip: true, file: join(work, 'release.tar.gz'), cwd: work }, ['release']);
  });
  afterAll(async () => {
    await rm(work, { recursive: true, force: true });
  });

  it('maps a skeleton document and sentence number to the UD sentence id', () => {
    expect(udIdOfSkeleton(DOC, '0')).toBe(
      'weblog-blogspot.com_nominations_20041117172713_ENG_20041117_172713-0001',
    );
    expect(udIdOfSkeleton('google/ewt/answers/00/20111107193044AAvUYBv_ans.xml', '11')).toBe(
      'answers-20111107193044AAvUYBv_ans-0012',
    );
    expect(udIdOfSkeleton('nw/wsj/00/wsj_0001', '0')).toBeUndefined();
  });

  it.each(['release', 'release.tar.gz'])(
    'builds from a %s, leaving out and reporting what does not align',
    async (source) => {
      const out = join(work, `out-${source}`);
      const result = await buildEwt5({ source: join(work, source), out });
      const { alignment } = result;
      expect(alignment.skeletonSentences).toBe(4);
      expect(alignment.alignedSentences).toBe(2);
      expect(alignment.perSplit.dev).toEqual({ ud: 2001, aligned: 2 });
      expect(alignment.unaligned.map((u) => [u.id, u.reason])).toEqual([
        [
          ud[1]!.id,
          `${ud[1]!.words.length - 1} skeleton tokens vs ${ud[1]!.words.length} UD words`,
        ],
        [
          'weblog-blogspot.com_nominations_20041117172713_ENG_20041117_172713-0100',
          'no UD sentence has this id',
        ],
      ]);
      const dev = await new Ewt5Corpus(out).read('dev');
      expect(dev.map((s) => s.id)).toEqual([ud[0]!.id, ud[2]!.id]);
      const [first] = dev;
      expect(first!.words).toEqual(ud[0]!.words.map((w) => w.form));
      expect(treeWords(first!.annotations.con!)).toEqual(first!.words);
      expect(first!.annotations.srl).toEqual([
        {
          predicate: 0,
          lemma: 'x',
          roleset: 'x.01',
          arguments: [{ start: 1, end: 2, role: 'ARG1' }],
        },
      ]);
      expect(first!.annotations.dep!.heads).toEqual(ud[0]!.words.map((w) => w.head));
      expect(await new Ewt5Corpus(out).read('train')).toEqual([]);
      const report = JSON.parse(await readFile(join(out, 'alignment.json'), 'utf8')) as {
        alignment: { rate: number };
      };
      expect(report.alignment.rate).toBe(0.5);
    },
  );

  it('downloads the archive when the source is a URL', async () => {
    const archive = readFileSync(join(work, 'release.tar.gz'));
    const server = createServer((request, response) => {
      if (request.url === '/release.tar.gz') response.end(archive);
      else response.writeHead(404).end();
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    try {
      const result = await buildEwt5({
        source: `${base}/release.tar.gz`,
        out: join(work, 'out-url'),
      });
      expect(result.alignment.alignedSentences).toBe(2);
      await expect(
        buildEwt5({ source: `${base}/missing.tar.gz`, out: join(work, 'out-404') }),
      ).rejects.toThrow(/HTTP 404/);
    } finally {
      server.close();
    }
  });

  it('says how to build it when the folder is missing', async () => {
    await expect(new Ewt5Corpus(join(work, 'nowhere')).read('dev')).rejects.toThrow(
      CorpusNotFoundError,
    );
    await expect(
      buildEwt5({ source: join(work, 'nowhere'), out: join(work, 'x') }),
    ).rejects.toThrow(CorpusNotFoundError);
    await expect(
      buildEwt5({ source: join(FIXTURES, 'README.md'), out: join(work, 'x') }),
    ).rejects.toThrow(/is not a readable tar archive/);
  });

  it('builds the real corpus from the PropBank mirror, aligning at least 99%', async () => {
    const out = join(work, 'real');
    const { alignment } = await buildEwt5({ source: PROPBANK_SOURCE, out });
    expect(alignment.skeletonSentences).toBe(16579);
    expect(alignment.rate).toBeGreaterThanOrEqual(0.99);
    expect(alignment.unaligned.length).toBe(
      alignment.skeletonSentences - alignment.alignedSentences,
    );
    const stats = await corpusStats(new Ewt5Corpus(out));
    expect(
      stats.splits.train.sentences + stats.splits.dev.sentences + stats.splits.test.sentences,
    ).toBe(alignment.alignedSentences);
    expect(Object.keys(stats.labels.srl!)).toEqual(
      expect.arrayContaining(['ARG0', 'ARG1', 'ARGM-TMP', 'R-ARG0', 'C-ARG1']),
    );
    expect(stats.labels.srl!['V']).toBeUndefined();
    expect(Object.keys(stats.labels.con!)).toEqual(
      expect.arrayContaining(['TOP', 'S', 'NP', 'VP', 'PP', 'SBAR']),
    );
    expect(stats.report).toBeDefined();
  });
});
