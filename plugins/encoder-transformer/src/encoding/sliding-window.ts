import type { SubwordInput } from '../model/transformer.js';

/**
 * How a batch of full-length sub-word sequences maps onto model rows. Sequences longer than
 * the position table are cut into overlapping windows ([CLS] piece [SEP]) whose stride is
 * half a window; each sub-word is then read from the window where it sits closest to the
 * centre, so every token sees at least a quarter window of context on both sides.
 */
export interface WindowPlan {
  input: SubwordInput;
  /** Longest full sequence in the batch. */
  length: number;
  /** For [batch * length] full positions, the index into the flattened [rows * rowLength] outputs; undefined when rows are the sentences. */
  gatherIndex?: number[];
  /** With windows: for each row slot, its sentence and full position (-1 for padding). */
  rowPositions?: Array<{ sentence: number; positions: number[] }>;
}

export function planWindows(sequences: number[][], maxLength: number, padId: number): WindowPlan {
  const length = Math.max(1, ...sequences.map((s) => s.length));
  if (length <= maxLength) {
    return { input: padRows(sequences, length, padId), length };
  }
  if (maxLength < 4)
    throw new Error(`a window of ${maxLength} sub-words cannot hold [CLS] content [SEP]`);
  const width = maxLength - 2;
  const stride = Math.max(1, Math.floor(width / 2));
  const rows: number[][] = [];
  const rowPositions: Array<{ sentence: number; positions: number[] }> = [];
  const located: Array<Array<[number, number]>> = [];
  for (const [sentence, sequence] of sequences.entries()) {
    const where: Array<[number, number]> = [];
    if (sequence.length <= maxLength) {
      for (let t = 0; t < sequence.length; t++) where.push([rows.length, t]);
      rows.push(sequence);
      rowPositions.push({ sentence, positions: sequence.map((_, t) => t) });
      located.push(where);
      continue;
    }
    const cls = sequence[0] as number;
    const sep = sequence[sequence.length - 1] as number;
    const content = sequence.slice(1, -1);
    const starts: number[] = [];
    for (let start = 0; ; start += stride) {
      starts.push(Math.min(start, content.length - width));
      if (start + width >= content.length) break;
    }
    const firstRow = rows.length;
    for (const start of starts) {
      rows.push([cls, ...content.slice(start, start + width), sep]);
      rowPositions.push({
        sentence,
        positions: [
          0,
          ...Array.from({ length: width }, (_, i) => start + i + 1),
          sequence.length - 1,
        ],
      });
    }
    where.push([firstRow, 0]);
    for (let j = 0; j < content.length; j++) {
      let best = 0;
      let bestDistance = Infinity;
      starts.forEach((start, w) => {
        if (j < start || j >= start + width) return;
        const distance = Math.abs(j - (start + (width - 1) / 2));
        if (distance < bestDistance) [best, bestDistance] = [w, distance];
      });
      where.push([firstRow + best, j - (starts[best] as number) + 1]);
    }
    where.push([firstRow + starts.length - 1, width + 1]);
    located.push(where);
  }
  const rowLength = Math.max(...rows.map((r) => r.length));
  const gatherIndex: number[] = [];
  for (const where of located) {
    for (let t = 0; t < length; t++) {
      const [row, position] = where[t] ?? [0, 0];
      gatherIndex.push(row * rowLength + position);
    }
  }
  for (const row of rowPositions) while (row.positions.length < rowLength) row.positions.push(-1);
  return { input: padRows(rows, rowLength, padId), length, gatherIndex, rowPositions };
}

function padRows(rows: number[][], length: number, padId: number): SubwordInput {
  const ids: number[][] = [];
  const mask: number[][] = [];
  for (const row of rows) {
    ids.push([...row, ...Array<number>(length - row.length).fill(padId)]);
    mask.push([
      ...Array<number>(row.length).fill(1),
      ...Array<number>(length - row.length).fill(0),
    ]);
  }
  return { ids, mask };
}
