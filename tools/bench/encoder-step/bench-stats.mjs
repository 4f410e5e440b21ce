// The pure parts of compare.mjs: the interleaved run order, the statistics of repeated
// measurements and the tables they are printed as. No I/O, so test/bench-stats.test.ts can
// check them without running a benchmark.

/**
 * The order of runs for one shape: every side once per round, `repetitions` rounds, so the
 * sides alternate (A B A B ...) and a change of machine load hits all of them alike.
 * @param {readonly string[]} sides
 * @param {number} repetitions
 * @returns {{ side: string, repetition: number }[]}
 */
export function interleavedSchedule(sides, repetitions) {
  if (!Number.isInteger(repetitions) || repetitions < 1)
    throw new Error(`repetitions must be a positive integer, got ${repetitions}`);
  if (sides.length === 0) throw new Error('interleavedSchedule needs at least one side');
  const order = [];
  for (let repetition = 1; repetition <= repetitions; repetition++)
    for (const side of sides) order.push({ side, repetition });
  return order;
}

/**
 * The q-quantile (0..1) of the values, interpolating linearly between the two nearest ranks
 * (the same rule as numpy's default), so the median of an even count is the mean of the middle two.
 * @param {readonly number[]} values
 * @param {number} q
 */
export function quantile(values, q) {
  if (values.length === 0) throw new Error('quantile of no values');
  if (!(q >= 0 && q <= 1)) throw new Error(`quantile must be within 0..1, got ${q}`);
  const sorted = [...values].sort((a, b) => a - b);
  const position = (sorted.length - 1) * q;
  const below = Math.floor(position);
  const above = Math.ceil(position);
  const low = /** @type {number} */ (sorted[below]);
  const high = /** @type {number} */ (sorted[above]);
  return low + (high - low) * (position - below);
}

/** @param {readonly number[]} values */
export function median(values) {
  return quantile(values, 0.5);
}

/**
 * Median and spread of repeated measurements: min-max shows the worst case, the
 * interquartile range (q1..q3) how tight the middle half is.
 * @param {readonly number[]} values
 * @returns {{ n: number, median: number, min: number, max: number, q1: number, q3: number }}
 */
export function summarize(values) {
  return {
    n: values.length,
    median: median(values),
    min: Math.min(...values),
    max: Math.max(...values),
    q1: quantile(values, 0.25),
    q3: quantile(values, 0.75),
  };
}

/**
 * `candidate / reference`, or undefined when either is missing or the reference is not positive.
 * @param {number | undefined} candidate
 * @param {number | undefined} reference
 */
export function ratio(candidate, reference) {
  if (candidate === undefined || reference === undefined || !(reference > 0)) return undefined;
  return candidate / reference;
}

/**
 * Milliseconds for a table cell: one decimal below 100 ms, whole numbers above, with
 * thousands separators ("1,208").
 * @param {number} ms
 */
export function formatMs(ms) {
  return ms < 100 ? ms.toFixed(1) : Math.round(ms).toLocaleString('en-US');
}

/**
 * One side's measurements as table cells: median, min-max, IQR and the number of samples.
 * @param {readonly number[]} samples
 */
export function summaryCells(samples) {
  if (samples.length === 0) return { median: 'n/a', range: 'n/a', iqr: 'n/a', n: '0' };
  const s = summarize(samples);
  return {
    median: formatMs(s.median),
    range: `${formatMs(s.min)}-${formatMs(s.max)}`,
    iqr: `${formatMs(s.q1)}-${formatMs(s.q3)}`,
    n: String(s.n),
  };
}

/**
 * The line of a failed run's output that says why: the first error message (a thrown Error, a
 * Python exception, an argparse error, a `tool: message` line), else the last line that is not Node's version banner.
 * @param {string} output stderr and stdout of the run
 */
export function failureReason(output) {
  const lines = output
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => l !== '');
  const error =
    lines.find((l) => /^(\w*Error|\w+Exception)\b|: error: /.test(l)) ??
    lines.find((l) => /^[\w.-]+: \S/.test(l) && !l.startsWith('usage:'));
  if (error) return error.slice(0, 300);
  const last = lines.filter((l) => !/^Node\.js v\d/.test(l) && l !== '}').pop();
  return last?.slice(0, 300) ?? 'no output';
}

/** @param {number | undefined} value */
export function formatRatio(value) {
  return value === undefined ? 'n/a' : `${value.toFixed(2)}x`;
}

/**
 * A Markdown table with padded columns; columns whose header starts with ">" are right-aligned
 * (the ">" is dropped).
 * @param {readonly string[]} headers
 * @param {readonly (readonly string[])[]} rows
 */
export function markdownTable(headers, rows) {
  const right = headers.map((h) => h.startsWith('>'));
  const names = headers.map((h) => (h.startsWith('>') ? h.slice(1) : h));
  for (const row of rows)
    if (row.length !== names.length)
      throw new Error(`table row has ${row.length} cells, the header ${names.length}`);
  const widths = names.map((name, c) =>
    Math.max(3, name.length, ...rows.map((row) => String(row[c]).length)),
  );
  /** @type {(text: string, c: number) => string} */
  const pad = (text, c) => (right[c] ? text.padStart(widths[c] ?? 0) : text.padEnd(widths[c] ?? 0));
  /** @type {(cells: readonly string[]) => string} */
  const line = (cells) => `| ${cells.map((cell, c) => pad(String(cell), c)).join(' | ')} |`;
  const rule = `| ${widths.map((w, c) => (right[c] ? `${'-'.repeat(w - 1)}:` : '-'.repeat(w))).join(' | ')} |`;
  return [line(names), rule, ...rows.map(line)].join('\n');
}

/**
 * One run of a block as compare.mjs records it (extra fields such as `samples` are kept too).
 * @typedef {{ side: string, repetition?: number, medianMs?: number, error?: string }} BlockRun
 */

/**
 * The table of one compare.mjs result: one row per shape, threads and side, each side's
 * per-repetition step times summarized, stem's sides with their ratio to PyTorch's median at
 * the same threads.
 * @param {{ blocks: { shape: string, threads: number, loadBefore: number[], loadAfter: number[],
 *   runs: BlockRun[] }[] }} result
 * @param {string} referenceSide the side the ratios divide by (PyTorch)
 */
export function resultTable(result, referenceSide) {
  const rows = [];
  for (const block of result.blocks) {
    const sides = [...new Set(block.runs.map((r) => r.side))];
    /** @type {(side: string) => number[]} */
    const samplesOf = (side) =>
      block.runs.flatMap((r) => (r.side === side && r.medianMs !== undefined ? [r.medianMs] : []));
    const reference = samplesOf(referenceSide);
    const referenceMedian = reference.length > 0 ? median(reference) : undefined;
    const load = `${block.loadBefore[0]?.toFixed(1)} / ${block.loadAfter[0]?.toFixed(1)}`;
    for (const side of sides) {
      const samples = samplesOf(side);
      const cells = summaryCells(samples);
      const failed = block.runs.filter((r) => r.side === side && r.error !== undefined).length;
      const sideRatio =
        side === referenceSide || samples.length === 0
          ? ''
          : formatRatio(ratio(median(samples), referenceMedian));
      rows.push([
        block.shape,
        String(block.threads),
        side,
        cells.median,
        cells.range,
        cells.iqr,
        failed > 0 ? `${cells.n} (${failed} failed)` : cells.n,
        sideRatio,
        load,
      ]);
    }
  }
  return markdownTable(
    [
      'shape',
      '>threads',
      'side',
      '>median ms',
      '>min-max ms',
      '>IQR ms',
      '>n',
      `>vs ${referenceSide}`,
      '>load before / after',
    ],
    rows,
  );
}
