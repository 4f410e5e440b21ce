/**
 * CoNLL-U (Universal Dependencies) reader and writer.
 *
 * The parsed form keeps everything needed to write the file back byte for byte: comment
 * lines, multi-word token lines (their surface form) and empty nodes. Words are the
 * syntactic words (integer ids); empty nodes (`8.1`, enhanced graphs only) are kept aside
 * and never appear among the words, so the basic tree stays a tree.
 */
import type { Sentence } from '@stem/core';
import { DataFormatError, splitLines } from '../errors.js';

export interface ConlluWord {
  id: number;
  form: string;
  lemma: string;
  upos: string;
  xpos: string;
  feats: string;
  /** Basic head (1-based, 0 = ROOT); null when the column is `_` (unannotated file). */
  head: number | null;
  deprel: string;
  deps: string;
  misc: string;
  /** 1-based line in the source file (not written). */
  line: number;
}

/** A multi-word token line such as `9-10  country's  _ ...`: the surface token over words start..end. */
export interface ConlluMultiword {
  start: number;
  end: number;
  /** The ten columns verbatim (column 1 is the range). */
  fields: string[];
  line: number;
}

/** An empty node such as `8.1` (enhanced dependencies): kept for round trips, not a word. */
export interface ConlluEmptyNode {
  /** Integer part: the node follows word `after` (0 = before the first word). */
  after: number;
  fields: string[];
  line: number;
}

export interface ConlluSentence {
  /** From the `# sent_id = ...` comment, when present. */
  id?: string;
  /** Comment lines verbatim, including the leading `#`. */
  comments: string[];
  words: ConlluWord[];
  multiwords: ConlluMultiword[];
  emptyNodes: ConlluEmptyNode[];
  /** Line of the sentence's first line. */
  line: number;
}

export interface ConlluDocument {
  file: string;
  sentences: ConlluSentence[];
  /** How many empty-node lines were set aside (not words). */
  emptyNodeCount: number;
  /** Whether the last sentence is followed by a blank line (the format says so; some releases omit it). */
  finalBlankLine: boolean;
}

const WORD_ID = /^[1-9]\d*$/;
const RANGE_ID = /^([1-9]\d*)-([1-9]\d*)$/;
const EMPTY_ID = /^(0|[1-9]\d*)\.([1-9]\d*)$/;
const HEAD = /^(0|[1-9]\d*)$/;

/** Parses CoNLL-U text. `file` only labels error messages. */
export function parseConllu(text: string, file = '<conllu>'): ConlluDocument {
  const lines = splitLines(text);
  const sentences: ConlluSentence[] = [];
  let emptyNodeCount = 0;
  let current: ConlluSentence | undefined;

  const finish = (): void => {
    if (!current) return;
    validateSentence(current, file);
    sentences.push(current);
    current = undefined;
  };

  for (let i = 0; i < lines.length; i++) {
    const raw = lines[i]!;
    const lineNo = i + 1;
    if (raw.trim() === '') {
      if (current && current.words.length === 0) {
        throw new DataFormatError(file, lineNo, 'sentence has comments but no word lines');
      }
      finish();
      continue;
    }
    current ??= { comments: [], words: [], multiwords: [], emptyNodes: [], line: lineNo };
    if (raw.startsWith('#')) {
      if (
        current.words.length > 0 ||
        current.multiwords.length > 0 ||
        current.emptyNodes.length > 0
      ) {
        throw new DataFormatError(file, lineNo, 'comment line after the word lines of a sentence');
      }
      current.comments.push(raw);
      const m = /^#\s*sent_id\s*=\s*(.*?)\s*$/.exec(raw);
      if (m) current.id = m[1];
      continue;
    }
    const fields = raw.split('\t');
    if (fields.length !== 10) {
      throw new DataFormatError(
        file,
        lineNo,
        `expected 10 tab-separated columns, found ${fields.length}`,
      );
    }
    for (let c = 0; c < 10; c++) {
      if (fields[c] === '')
        throw new DataFormatError(file, lineNo, `column ${c + 1} is empty (use _)`);
    }
    const idField = fields[0]!;
    const range = RANGE_ID.exec(idField);
    if (range) {
      const start = Number(range[1]);
      const end = Number(range[2]);
      if (end <= start)
        throw new DataFormatError(file, lineNo, `bad multi-word token range ${idField}`);
      if (start !== current.words.length + 1) {
        throw new DataFormatError(
          file,
          lineNo,
          `multi-word token ${idField} does not start at the next word ${current.words.length + 1}`,
        );
      }
      current.multiwords.push({ start, end, fields, line: lineNo });
      continue;
    }
    const empty = EMPTY_ID.exec(idField);
    if (empty) {
      const after = Number(empty[1]);
      if (after !== current.words.length) {
        throw new DataFormatError(
          file,
          lineNo,
          `empty node ${idField} is out of place (after word ${current.words.length})`,
        );
      }
      current.emptyNodes.push({ after, fields, line: lineNo });
      emptyNodeCount++;
      continue;
    }
    if (!WORD_ID.test(idField))
      throw new DataFormatError(file, lineNo, `bad word id ${JSON.stringify(idField)}`);
    const id = Number(idField);
    if (id !== current.words.length + 1) {
      throw new DataFormatError(
        file,
        lineNo,
        `word id ${id} out of sequence (expected ${current.words.length + 1})`,
      );
    }
    const [, form, lemma, upos, xpos, feats, headField, deprel, deps, misc] = fields as [
      string,
      string,
      string,
      string,
      string,
      string,
      string,
      string,
      string,
      string,
    ];
    let head: number | null;
    if (headField === '_') {
      head = null;
    } else if (HEAD.test(headField)) {
      head = Number(headField);
    } else {
      throw new DataFormatError(file, lineNo, `bad head ${JSON.stringify(headField)}`);
    }
    if (head === id) throw new DataFormatError(file, lineNo, `word ${id} is its own head`);
    current.words.push({
      id,
      form,
      lemma,
      upos,
      xpos,
      feats,
      head,
      deprel,
      deps,
      misc,
      line: lineNo,
    });
  }
  if (current && current.words.length === 0) {
    throw new DataFormatError(file, lines.length, 'sentence has comments but no word lines');
  }
  finish();
  const finalBlankLine = lines.length > 0 && lines[lines.length - 1]!.trim() === '';
  return { file, sentences, emptyNodeCount, finalBlankLine };
}

function validateSentence(s: ConlluSentence, file: string): void {
  const n = s.words.length;
  const hasNull = s.words.some((w) => w.head === null);
  const allNull = s.words.every((w) => w.head === null);
  if (hasNull && !allNull) {
    const w = s.words.find((x) => x.head === null)!;
    throw new DataFormatError(file, w.line, `word ${w.id} has no head while others do`);
  }
  for (const w of s.words) {
    if (w.head !== null && w.head > n) {
      throw new DataFormatError(
        file,
        w.line,
        `head ${w.head} of word ${w.id} is beyond the sentence's ${n} words`,
      );
    }
  }
  for (const m of s.multiwords) {
    if (m.end > n)
      throw new DataFormatError(
        file,
        m.line,
        `multi-word token ${m.start}-${m.end} extends past the last word ${n}`,
      );
  }
  for (let k = 1; k < s.multiwords.length; k++) {
    if (s.multiwords[k]!.start <= s.multiwords[k - 1]!.end) {
      throw new DataFormatError(file, s.multiwords[k]!.line, 'overlapping multi-word tokens');
    }
  }
  if (!allNull) {
    // A basic tree must reach ROOT from every word; a cycle means the file is broken.
    for (const w of s.words) {
      let h: number = w.id;
      for (let steps = 0; h !== 0; steps++) {
        if (steps > n) throw new DataFormatError(file, w.line, `word ${w.id} is on a head cycle`);
        h = s.words[h - 1]!.head!;
      }
    }
  }
}

export interface WriteConlluOptions {
  /** End the file with a blank line after the last sentence, as the format says (default true). */
  finalBlankLine?: boolean;
}

/**
 * Writes sentences back to CoNLL-U, a blank line after each. For a well-formed file `x`
 * with LF line ends, `writeConllu(d.sentences, d) === x` where `d = parseConllu(x)`.
 */
export function writeConllu(
  sentences: readonly ConlluSentence[],
  options: WriteConlluOptions = {},
): string {
  const blocks: string[] = [];
  for (const s of sentences) {
    const out: string[] = [...s.comments];
    let mw = 0;
    let en = 0;
    const emitEmpty = (after: number): void => {
      while (en < s.emptyNodes.length && s.emptyNodes[en]!.after === after)
        out.push(s.emptyNodes[en++]!.fields.join('\t'));
    };
    emitEmpty(0);
    for (const w of s.words) {
      while (mw < s.multiwords.length && s.multiwords[mw]!.start === w.id)
        out.push(s.multiwords[mw++]!.fields.join('\t'));
      out.push(
        [
          w.id,
          w.form,
          w.lemma,
          w.upos,
          w.xpos,
          w.feats,
          w.head === null ? '_' : w.head,
          w.deprel,
          w.deps,
          w.misc,
        ].join('\t'),
      );
      emitEmpty(w.id);
    }
    blocks.push(out.join('\n') + '\n');
  }
  return blocks.join('\n') + ((options.finalBlankLine ?? true) && blocks.length > 0 ? '\n' : '');
}

export interface ConlluToSentenceOptions {
  /** Which column feeds `annotations.pos`: XPOS (PTB tags in English UD, the default) or UPOS. */
  pos?: 'xpos' | 'upos';
  /** Id used when the sentence has no sent_id comment. */
  fallbackId?: string;
}

/** The shared `Sentence` view: words = syntactic words, pos/upos, dep = basic tree. */
export function conlluToSentence(
  s: ConlluSentence,
  options: ConlluToSentenceOptions = {},
): Sentence {
  const words = s.words.map((w) => w.form);
  const annotations: Sentence['annotations'] = {};
  const xpos = s.words.map((w) => w.xpos);
  const upos = s.words.map((w) => w.upos);
  if ((options.pos ?? 'xpos') === 'xpos') {
    if (xpos.every((t) => t !== '_')) annotations.pos = xpos;
  } else if (upos.every((t) => t !== '_')) {
    annotations.pos = upos;
  }
  if (upos.every((t) => t !== '_')) annotations.upos = upos;
  if (s.words.every((w) => w.head !== null)) {
    annotations.dep = {
      heads: s.words.map((w) => w.head!),
      relations: s.words.map((w) => w.deprel),
    };
  }
  return { id: s.id ?? options.fallbackId ?? `line-${s.line}`, words, annotations };
}

/** Builds a minimal CoNLL-U sentence from a `Sentence` (pos → XPOS, upos → UPOS, dep → HEAD/DEPREL). */
export function sentenceToConllu(sentence: Sentence): ConlluSentence {
  const a = sentence.annotations;
  const words: ConlluWord[] = sentence.words.map((form, i) => ({
    id: i + 1,
    form,
    lemma: '_',
    upos: a.upos?.[i] ?? '_',
    xpos: a.pos?.[i] ?? '_',
    feats: '_',
    head: a.dep ? a.dep.heads[i]! : null,
    deprel: a.dep ? a.dep.relations[i]! : '_',
    deps: '_',
    misc: '_',
    line: 0,
  }));
  return {
    id: sentence.id,
    comments: [`# sent_id = ${sentence.id}`],
    words,
    multiwords: [],
    emptyNodes: [],
    line: 0,
  };
}
