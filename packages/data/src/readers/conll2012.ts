/**
 * CoNLL-2012 column files: OntoNotes `*_gold_conll` and the word-less `*_gold_skel`.
 *
 * Two column layouts exist:
 * - `conll2012` (OntoNotes v4/v5 as distributed for the CoNLL-2012 shared task):
 *   doc, part, token, word, POS, parse bit, predicate lemma, frameset id, word sense,
 *   speaker, named entities, one argument column per predicate, coreference; documents
 *   are wrapped in `#begin document (...); part 000` / `#end document` lines;
 * - `propbank` (propbank-release `.gold_skel`, e.g. the EWT files): doc, sentence number,
 *   token, word, POS, parse bit, predicate lemma, roleset (`be.01`), one argument column
 *   per predicate; no document lines.
 * `auto` (the default) picks `conll2012` when the file starts with `#begin document`.
 *
 * Skeleton files carry `[WORD]` instead of words; `words` fills them from another source.
 */
import type { LabeledSpan, Sentence, SrlFrame, TreeNode } from '@stem/core';
import { DataFormatError, splitLines } from '../errors.js';
import {
  framesFromColumns,
  framesToColumns,
  spansFromColumn,
  spansToColumn,
} from '../srl/frames.js';
import { treeFromParseBits, treeToParseBits } from '../trees/parse-bits.js';
import { treeTags } from '../trees/tree.js';

export type Conll2012Layout = 'conll2012' | 'propbank';

export const WORD_PLACEHOLDER = '[WORD]';

export interface Conll2012Row {
  word: string;
  pos: string;
  parse: string;
  lemma: string;
  /** Frameset id (`01`) in the conll2012 layout, full roleset (`be.01`) in the propbank layout. */
  frameset: string;
  /** conll2012 layout only. */
  sense?: string;
  speaker?: string;
  ne?: string;
  coref?: string;
  args: string[];
  line: number;
}

export interface Conll2012Sentence {
  doc: string;
  /** Column 2: the part number (conll2012) or the sentence number (propbank). */
  part: string;
  /** Sentence index within its `#begin document` block (or the file). */
  index: number;
  rows: Conll2012Row[];
  line: number;
}

export interface Conll2012Document {
  /** The `#begin document ...` line verbatim (conll2012 layout). */
  header?: string;
  sentences: Conll2012Sentence[];
}

export interface Conll2012File {
  file: string;
  layout: Conll2012Layout;
  documents: Conll2012Document[];
}

export interface ParseConll2012Options {
  layout?: Conll2012Layout | 'auto';
  /**
   * Words for skeleton sentences, by sentence (or a plain array in file order). Returning
   * undefined keeps the placeholders; an array of the wrong length is an error.
   */
  words?:
    | ((sentence: Conll2012Sentence) => readonly string[] | undefined)
    | readonly (readonly string[])[];
}

const COREF = /^(-|\(?\d+\)?(\|\(?\d+\)?)*)$/;

export function parseConll2012(
  text: string,
  file = '<conll2012>',
  options: ParseConll2012Options = {},
): Conll2012File {
  const lines = splitLines(text);
  const requested = options.layout ?? 'auto';
  const firstContent = lines.find((l) => l.trim() !== '') ?? '';
  const layout: Conll2012Layout =
    requested === 'auto'
      ? firstContent.startsWith('#begin document')
        ? 'conll2012'
        : 'propbank'
      : requested;
  const fixed = layout === 'conll2012' ? 11 : 8;
  const trailing = layout === 'conll2012' ? 1 : 0;

  const documents: Conll2012Document[] = [];
  let doc: Conll2012Document | undefined = layout === 'propbank' ? { sentences: [] } : undefined;
  if (doc) documents.push(doc);
  let rows: { fields: string[]; line: number }[] = [];
  let sentenceCount = 0;

  const finishSentence = (): void => {
    if (rows.length === 0) return;
    if (!doc)
      throw new DataFormatError(file, rows[0]!.line, 'token line outside a #begin document block');
    const s = buildSentence(rows, doc.sentences.length, file, layout, fixed, trailing);
    if (options.words) {
      const words =
        typeof options.words === 'function' ? options.words(s) : options.words[sentenceCount];
      if (words) {
        if (words.length !== s.rows.length) {
          throw new DataFormatError(
            file,
            s.line,
            `${words.length} words given for a sentence of ${s.rows.length} tokens`,
          );
        }
        s.rows.forEach((r, i) => (r.word = words[i]!));
      }
    }
    doc.sentences.push(s);
    sentenceCount++;
    rows = [];
  };

  lines.forEach((raw, i) => {
    const lineNo = i + 1;
    const line = raw.trim();
    if (line === '') {
      finishSentence();
      return;
    }
    if (line.startsWith('#')) {
      finishSentence();
      if (layout !== 'conll2012')
        throw new DataFormatError(file, lineNo, 'unexpected # line in a propbank-layout file');
      if (line.startsWith('#begin document')) {
        if (doc) throw new DataFormatError(file, lineNo, '#begin document inside an open document');
        doc = { header: raw, sentences: [] };
        documents.push(doc);
      } else if (line.startsWith('#end document')) {
        if (!doc) throw new DataFormatError(file, lineNo, '#end document without #begin document');
        doc = undefined;
      } else {
        throw new DataFormatError(
          file,
          lineNo,
          `unexpected comment line ${JSON.stringify(line.slice(0, 40))}`,
        );
      }
      return;
    }
    rows.push({ fields: line.split(/\s+/), line: lineNo });
  });
  finishSentence();
  if (layout === 'conll2012' && doc)
    throw new DataFormatError(file, lines.length, 'last document has no #end document line');
  return { file, layout, documents };
}

function buildSentence(
  raw: { fields: string[]; line: number }[],
  index: number,
  file: string,
  layout: Conll2012Layout,
  fixed: number,
  trailing: number,
): Conll2012Sentence {
  const first = raw[0]!;
  const width = first.fields.length;
  if (width < fixed + trailing) {
    throw new DataFormatError(
      file,
      first.line,
      `expected at least ${fixed + trailing} columns for the ${layout} layout, found ${width}`,
    );
  }
  const doc = first.fields[0]!;
  const part = first.fields[1]!;
  const rows: Conll2012Row[] = raw.map(({ fields: f, line }, i) => {
    if (f.length !== width)
      throw new DataFormatError(
        file,
        line,
        `${f.length} columns where the sentence's first line has ${width}`,
      );
    if (f[0] !== doc || f[1] !== part)
      throw new DataFormatError(
        file,
        line,
        'document or part changes inside a sentence (missing blank line?)',
      );
    if (f[2] !== String(i))
      throw new DataFormatError(
        file,
        line,
        `token number ${JSON.stringify(f[2])} where ${i} was expected`,
      );
    const row: Conll2012Row = {
      word: f[3]!,
      pos: f[4]!,
      parse: f[5]!,
      lemma: f[6]!,
      frameset: f[7]!,
      args: f.slice(fixed, width - trailing),
      line,
    };
    if (layout === 'conll2012') {
      row.sense = f[8]!;
      row.speaker = f[9]!;
      row.ne = f[10]!;
      row.coref = f[width - 1]!;
      if (!COREF.test(row.coref))
        throw new DataFormatError(file, line, `bad coreference cell ${JSON.stringify(row.coref)}`);
    }
    return row;
  });
  const s: Conll2012Sentence = { doc, part, index, rows, line: first.line };
  // Parse every layer now so a broken column is reported at read time, never later.
  conll2012ToSentence(s, file);
  return s;
}

/** Token indices of the predicates (rows with a frameset/roleset), in order. */
export function predicateRows(s: Conll2012Sentence): number[] {
  const out: number[] = [];
  s.rows.forEach((r, i) => {
    if (r.frameset !== '-') out.push(i);
  });
  return out;
}

/** The sentence's id: `doc/part/index`. */
export function conll2012SentenceId(s: Conll2012Sentence): string {
  return `${s.doc}/${s.part}/${s.index}`;
}

/** The shared `Sentence` view: pos, con (when the parse column is filled), srl, ner (conll2012 layout). */
export function conll2012ToSentence(s: Conll2012Sentence, file = '<conll2012>'): Sentence {
  const words = s.rows.map((r) => r.word);
  const lines = s.rows.map((r) => r.line);
  const origin = { file, lines };
  const annotations: Sentence['annotations'] = { pos: s.rows.map((r) => r.pos) };
  const bits = s.rows.map((r) => r.parse);
  if (bits.some((b) => b !== '-')) {
    annotations.con = treeFromParseBits(bits, annotations.pos!, words, origin);
  }
  const isConll = s.rows[0]?.sense !== undefined;
  annotations.srl = framesFromColumns({
    argColumns: transpose(
      s.rows.map((r) => r.args),
      s.rows[0]?.args.length ?? 0,
    ),
    predicateRows: predicateRows(s),
    lemmas: s.rows.map((r) => r.lemma),
    rolesets: s.rows.map((r) =>
      r.frameset === '-' ? undefined : isConll ? `${r.lemma}.${r.frameset}` : r.frameset,
    ),
    origin,
  });
  if (isConll) {
    const ne = s.rows.map((r) => r.ne!);
    annotations.ner = spansFromColumn(ne, origin, 'named-entity column');
  }
  return { id: conll2012SentenceId(s), words, annotations };
}

function transpose(rows: readonly (readonly string[])[], width: number): string[][] {
  const cols: string[][] = [];
  for (let k = 0; k < width; k++) cols.push(rows.map((r) => r[k]!));
  return cols;
}

/** Writes a parsed file back; reading the output gives the same structure. Columns are padded per sentence. */
export function writeConll2012(data: Conll2012File): string {
  const out: string[] = [];
  for (const d of data.documents) {
    if (data.layout === 'conll2012') out.push(d.header ?? '#begin document (unknown); part 000');
    for (const s of d.sentences) {
      const table = s.rows.map((r, i) => {
        const base = [s.doc, s.part, String(i), r.word, r.pos, r.parse, r.lemma, r.frameset];
        if (data.layout === 'conll2012')
          return [
            ...base,
            r.sense ?? '-',
            r.speaker ?? '-',
            r.ne ?? '*',
            ...r.args,
            r.coref ?? '-',
          ];
        return [...base, ...r.args];
      });
      out.push(...padTable(table), '');
    }
    if (data.layout === 'conll2012') out.push('#end document');
  }
  return out.map((l) => l + '\n').join('');
}

function padTable(table: string[][]): string[] {
  const widths: number[] = [];
  for (const row of table) row.forEach((c, k) => (widths[k] = Math.max(widths[k] ?? 0, c.length)));
  return table.map((row) =>
    row
      .map((c, k) => (k === 0 ? c.padEnd(widths[k]!) : c.padStart(widths[k]!)))
      .join('   ')
      .trimEnd(),
  );
}

/** Builds conll2012-layout rows from a `Sentence` (missing layers are written as `-` / `*`). */
export function sentenceToConll2012(
  sentence: Sentence,
  doc: string,
  part = '0',
  index = 0,
): Conll2012Sentence {
  const n = sentence.words.length;
  const a = sentence.annotations;
  const parse = a.con ? treeToParseBits(a.con) : new Array<string>(n).fill('-');
  if (parse.length !== n)
    throw new RangeError(`sentenceToConll2012: tree has ${parse.length} words, sentence ${n}`);
  const frames: SrlFrame[] = a.srl ?? [];
  const order = frames
    .map((f, k) => ({ f, k }))
    .sort((x, y) => x.f.predicate - y.f.predicate || x.k - y.k);
  const columns = framesToColumns(
    order.map((o) => o.f),
    n,
  );
  const ne = spansToColumn((a.ner ?? []) as LabeledSpan[], n, { starless: true });
  const tags = a.pos ?? (a.con ? treeTags(a.con) : undefined);
  const rows: Conll2012Row[] = sentence.words.map((word, i) => {
    const f = frames.find((x) => x.predicate === i);
    // Only a roleset gives a frameset id; the (V*) cell still ties a bare frame to its predicate.
    const frameset = f?.roleset?.includes('.')
      ? f.roleset.slice(f.roleset.lastIndexOf('.') + 1)
      : '-';
    return {
      word,
      pos: tags?.[i] ?? '-',
      parse: parse[i]!,
      lemma:
        f?.lemma ??
        (f?.roleset?.includes('.') ? f.roleset.slice(0, f.roleset.lastIndexOf('.')) : '-'),
      frameset,
      sense: '-',
      speaker: '-',
      ne: ne[i]!,
      coref: '-',
      args: columns.map((c) => c[i]!),
      line: 0,
    };
  });
  return { doc, part, index, rows, line: 0 };
}

/** Convenience: the tree of a sentence or undefined. */
export function conll2012Tree(s: Conll2012Sentence, file?: string): TreeNode | undefined {
  return conll2012ToSentence(s, file).annotations.con;
}
