import type { Sentence } from '@stem/core';
import { framesFromColumns } from '@stem/data';

/**
 * Reads CoNLL-2005 props text (srl-eval.pl's input: a target column, then one argument column
 * per target in order; a blank line between sentences) into sentences with an `srl` layer.
 * The target column gives each frame its lemma. Columns are separated by tabs or spaces.
 */
export function readProps(text: string, file: string): Sentence[] {
  const sentences: Sentence[] = [];
  let rows: { cells: string[]; line: number }[] = [];
  const finish = (): void => {
    if (rows.length === 0) return;
    const width = rows[0]!.cells.length;
    const bad = rows.find((r) => r.cells.length !== width);
    if (bad)
      throw new Error(
        `${file}:${bad.line}: ${bad.cells.length} columns where the sentence has ${width}`,
      );
    const targets = rows.map((r) => r.cells[0]!);
    const predicateRows = targets.flatMap((t, i) => (t === '-' ? [] : [i]));
    const columns = Array.from({ length: width - 1 }, (_, k) => rows.map((r) => r.cells[k + 1]!));
    if (columns.length !== predicateRows.length)
      throw new Error(
        `${file}:${rows[0]!.line}: ${predicateRows.length} targets but ${columns.length} argument columns`,
      );
    const srl = framesFromColumns({
      argColumns: columns,
      predicateRows,
      lemmas: targets,
      origin: { file, lines: rows.map((r) => r.line) },
    });
    sentences.push({
      id: `${file}:${rows[0]!.line}`,
      words: targets.map((_, i) => `w${i}`),
      annotations: { srl },
    });
    rows = [];
  };
  text.split(/\r?\n/).forEach((raw, i) => {
    if (raw.trim() === '') finish();
    else rows.push({ cells: raw.trim().split(/\s+/), line: i + 1 });
  });
  finish();
  return sentences;
}
