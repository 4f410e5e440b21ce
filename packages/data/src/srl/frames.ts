/**
 * Span columns of the CoNLL-2005/2012 family, one cell per token: `(ARG0*`, `*`, `*)`,
 * `(V*)`, `(PERSON)`. Used for the SRL argument columns (one per predicate) and the
 * named-entity column; neither nests, so a nested or unbalanced bracket is an error.
 *
 * SRL frames keep continuation (`C-ARG1`) and reference (`R-ARG0`) arguments as roles of
 * their own; `V` and `C-V` mark the predicate itself and are dropped from the arguments.
 */
import type { LabeledSpan, SrlFrame } from '@stem/core';
import { DataFormatError } from '../errors.js';

const CELL = /^(?:\(([^()*\s]+))?(\*?)(\)?)$/;

/** Where each cell came from, for error messages. */
export interface CellOrigin {
  file: string;
  lines: readonly number[];
}

/** Flat labelled spans of one span column. */
export function spansFromColumn(
  cells: readonly string[],
  origin: CellOrigin,
  what = 'span column',
): LabeledSpan[] {
  const spans: LabeledSpan[] = [];
  let open: { label: string; start: number } | undefined;
  cells.forEach((cell, i) => {
    const line = origin.lines[i] ?? 0;
    const m = CELL.exec(cell);
    if (!m || (m[1] === undefined && m[2] === '')) {
      throw new DataFormatError(origin.file, line, `bad ${what} cell ${JSON.stringify(cell)}`);
    }
    if (m[1] !== undefined) {
      if (open)
        throw new DataFormatError(
          origin.file,
          line,
          `${what}: (${m[1]} opens inside (${open.label}, which is still open`,
        );
      open = { label: m[1], start: i };
    }
    if (m[3] === ')') {
      if (!open) throw new DataFormatError(origin.file, line, `${what}: ")" closes nothing`);
      spans.push({ start: open.start, end: i + 1, label: open.label });
      open = undefined;
    }
  });
  if (open) {
    throw new DataFormatError(
      origin.file,
      origin.lines[open.start] ?? 0,
      `${what}: (${open.label} is never closed in its sentence`,
    );
  }
  return spans;
}

/** Writes flat spans back to cells (`(L*`, `*`, `*)`, `(L*)`); `starless` writes single tokens as `(L)` like OntoNotes' NE column. */
export function spansToColumn(
  spans: readonly LabeledSpan[],
  length: number,
  options: { starless?: boolean } = {},
): string[] {
  const cells = new Array<string>(length).fill('*');
  const used = new Array<boolean>(length).fill(false);
  for (const s of spans) {
    if (s.start < 0 || s.end > length || s.end <= s.start)
      throw new RangeError(`spansToColumn: bad span [${s.start}, ${s.end})`);
    for (let i = s.start; i < s.end; i++) {
      if (used[i])
        throw new RangeError(
          `spansToColumn: span ${s.label} [${s.start}, ${s.end}) overlaps another`,
        );
      used[i] = true;
    }
    if (s.end - s.start === 1) {
      cells[s.start] = options.starless ? `(${s.label})` : `(${s.label}*)`;
    } else {
      cells[s.start] = `(${s.label}*`;
      cells[s.end - 1] = '*)';
    }
  }
  return cells;
}

/** Roles that name the predicate itself. */
export const PREDICATE_ROLES: ReadonlySet<string> = new Set(['V', 'C-V']);

export interface FrameColumnsInput {
  /** argColumns[k][i]: cell of predicate column k at token i. */
  argColumns: readonly (readonly string[])[];
  /** Token indices marked as predicates (non-`-` sense/roleset), in order: column k belongs to the k-th when it has no V. */
  predicateRows: readonly number[];
  lemmas?: readonly (string | undefined)[];
  rolesets?: readonly (string | undefined)[];
  origin: CellOrigin;
}

/** SRL frames, one per predicate column. The predicate is the column's `V` token (else the k-th predicate row). */
export function framesFromColumns(input: FrameColumnsInput): SrlFrame[] {
  return input.argColumns.map((column, k) => {
    const spans = spansFromColumn(column, input.origin, `SRL column ${k + 1}`);
    const v = spans.find((s) => s.label === 'V');
    const predicate = v ? v.start : input.predicateRows[k];
    if (predicate === undefined) {
      throw new DataFormatError(
        input.origin.file,
        input.origin.lines[0] ?? 0,
        `SRL column ${k + 1} has no V and no predicate row of its own`,
      );
    }
    const frame: SrlFrame = {
      predicate,
      arguments: spans
        .filter((s) => !PREDICATE_ROLES.has(s.label))
        .map((s) => ({ start: s.start, end: s.end, role: s.label })),
    };
    const lemma = input.lemmas?.[predicate];
    if (lemma !== undefined && lemma !== '-') frame.lemma = lemma;
    const roleset = input.rolesets?.[predicate];
    if (roleset !== undefined && roleset !== '-') frame.roleset = roleset;
    return frame;
  });
}

/** One argument column per frame, with the predicate written as `(V*)`. */
export function framesToColumns(frames: readonly SrlFrame[], length: number): string[][] {
  return frames.map((f) =>
    spansToColumn(
      [
        { start: f.predicate, end: f.predicate + 1, label: 'V' },
        ...f.arguments.map((a) => ({ start: a.start, end: a.end, label: a.role })),
      ],
      length,
    ),
  );
}
