/**
 * Token-per-line NER files (CoNLL-2003 style): the first column is the word, the last
 * the tag, any columns between are kept; blank lines end sentences; `-DOCSTART-` lines
 * are skipped. Columns split on tabs when the line has one, else on runs of spaces.
 *
 * Tags are BIO / IOB2 (`B-PER`, `I-PER`, `O`) by default: an `I-X` that does not continue
 * an `X` entity is malformed. `scheme: 'iob1'` accepts CoNLL-2003's IOB1, where `I-X`
 * may start an entity and `B-X` only separates two adjacent entities of one type.
 */
import type { LabeledSpan, Sentence } from '@stem/core';
import { DataFormatError, splitLines } from '../errors.js';

export type BioScheme = 'iob2' | 'iob1';

export interface BioToken {
  word: string;
  tag: string;
  /** Columns between word and tag, verbatim. */
  middle: string[];
  line: number;
}

export interface BioSentence {
  tokens: BioToken[];
  line: number;
}

export interface BioOptions {
  scheme?: BioScheme;
}

const TAG = /^(?:O|([BI])-(\S+))$/;

export function parseBio(text: string, file = '<bio>', options: BioOptions = {}): BioSentence[] {
  const scheme = options.scheme ?? 'iob2';
  const sentences: BioSentence[] = [];
  let tokens: BioToken[] = [];
  const finish = (): void => {
    if (tokens.length === 0) return;
    const s = { tokens, line: tokens[0]!.line };
    // Validate the tag sequence now: a broken sequence is an error at its line.
    bioToSpans(
      s.tokens.map((t) => t.tag),
      { scheme, file, lines: s.tokens.map((t) => t.line) },
    );
    sentences.push(s);
    tokens = [];
  };
  splitLines(text).forEach((raw, i) => {
    const line = i + 1;
    if (raw.trim() === '') {
      finish();
      return;
    }
    const cols = raw.includes('\t') ? raw.split('\t') : raw.trim().split(/ +/);
    if (cols[0] === '-DOCSTART-') {
      finish();
      return;
    }
    if (cols.length < 2) throw new DataFormatError(file, line, 'expected a word and a tag');
    if (cols.some((c) => c === '' || /\s/.test(c)))
      throw new DataFormatError(file, line, 'empty column or stray whitespace');
    const tag = cols[cols.length - 1]!;
    if (!TAG.test(tag))
      throw new DataFormatError(
        file,
        line,
        `bad tag ${JSON.stringify(tag)} (expected O, B-X or I-X)`,
      );
    tokens.push({ word: cols[0]!, tag, middle: cols.slice(1, -1), line });
  });
  finish();
  return sentences;
}

export interface BioSpanOptions {
  scheme?: BioScheme;
  /** Where the tags came from; without it, errors are RangeErrors instead of DataFormatErrors. */
  file?: string;
  lines?: readonly number[];
}

/** Flat entity spans of a tag sequence. */
export function bioToSpans(tags: readonly string[], options: BioSpanOptions = {}): LabeledSpan[] {
  const scheme = options.scheme ?? 'iob2';
  const fail = (i: number, what: string): never => {
    if (options.file !== undefined)
      throw new DataFormatError(options.file, options.lines?.[i] ?? 0, what);
    throw new RangeError(`tag ${i}: ${what}`);
  };
  const spans: LabeledSpan[] = [];
  let open: LabeledSpan | undefined;
  tags.forEach((tag, i) => {
    const m = TAG.exec(tag);
    if (!m) fail(i, `bad tag ${JSON.stringify(tag)}`);
    const [, kind, type] = m!;
    if (kind === undefined) {
      open = undefined;
      return;
    }
    const continues = open !== undefined && open.label === type && open.end === i;
    if (kind === 'I' && continues) {
      open!.end = i + 1;
      return;
    }
    if (kind === 'I' && scheme === 'iob2') {
      fail(i, `${tag} does not continue a ${type} entity (IOB2 needs B-${type} first)`);
    }
    open = { start: i, end: i + 1, label: type! };
    spans.push(open);
  });
  return spans;
}

/** IOB2 tags for flat spans (overlapping spans are an error). */
export function spansToBio(spans: readonly LabeledSpan[], length: number): string[] {
  const tags = new Array<string>(length).fill('O');
  for (const s of [...spans].sort((a, b) => a.start - b.start)) {
    if (s.start < 0 || s.end > length || s.end <= s.start)
      throw new RangeError(`spansToBio: bad span [${s.start}, ${s.end})`);
    for (let i = s.start; i < s.end; i++) {
      if (tags[i] !== 'O')
        throw new RangeError(`spansToBio: span ${s.label} [${s.start}, ${s.end}) overlaps another`);
      tags[i] = (i === s.start ? 'B-' : 'I-') + s.label;
    }
  }
  return tags;
}

/** Writes sentences as `word<TAB>[middle...<TAB>]tag`, a blank line after each. */
export function writeBio(sentences: readonly BioSentence[]): string {
  return sentences
    .map((s) => s.tokens.map((t) => [t.word, ...t.middle, t.tag].join('\t') + '\n').join('') + '\n')
    .join('');
}

export function bioToSentence(s: BioSentence, id: string, options: BioOptions = {}): Sentence {
  return {
    id,
    words: s.tokens.map((t) => t.word),
    annotations: {
      ner: bioToSpans(
        s.tokens.map((t) => t.tag),
        { scheme: options.scheme ?? 'iob2' },
      ),
    },
  };
}

export function sentenceToBio(sentence: Sentence): BioSentence {
  const tags = spansToBio(sentence.annotations.ner ?? [], sentence.words.length);
  return {
    tokens: sentence.words.map((word, i) => ({ word, tag: tags[i]!, middle: [], line: 0 })),
    line: 0,
  };
}
