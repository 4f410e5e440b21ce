import { colourOf, inkOn, legendStops, type ColourScale } from './colour-scales.js';
import { htmlEscape } from './table.js';

export interface HeadGridInput {
  /** Read by screen readers and shown as the SVG's tooltip title. */
  label: string;
  /** [row][column] values; null cells are left light grey. */
  matrix: ReadonlyArray<ReadonlyArray<number | null>>;
  scale: ColourScale;
  /** Default: "layer 1".."layer n" and "1".."m" (counted from 1, as in the paper's figures). */
  rowLabels?: readonly string[];
  columnLabels?: readonly string[];
  /** [row][column] CSS colours that replace the scale (the overlap's RGB maps). */
  colours?: ReadonlyArray<ReadonlyArray<string>>;
  /** Print each value in its cell (small matrices such as the Pearson r table). */
  annotate?: boolean;
  /** Side of one cell in px. */
  cell?: number;
  /** Extra words for each cell's tooltip, after its position and value. */
  tooltip?: (row: number, column: number) => string;
}

const number = (value: number | null | undefined, digits = 3) =>
  value === null || value === undefined || !Number.isFinite(value) ? 'n/a' : value.toFixed(digits);

/**
 * A matrix as an inline SVG grid of coloured cells, rows top to bottom, labelled on the left
 * and at the bottom, each cell with its value as a tooltip. Scales with its container
 * (viewBox, width 100%) so a row of panels fits a narrow window. Inline in HTML, so no xmlns:
 * the page names no URL at all.
 */
export function headGridSvg(input: HeadGridInput): string {
  const rows = input.matrix.length;
  const columns = input.matrix[0]?.length ?? 0;
  const rowLabels = input.rowLabels ?? input.matrix.map((_, i) => `layer ${i + 1}`);
  const columnLabels = input.columnLabels ?? Array.from({ length: columns }, (_, j) => `${j + 1}`);
  const cell = input.cell ?? (columns > 12 ? 12 : 18);
  const left = 8 + 6 * Math.max(1, ...rowLabels.map((l) => l.length));
  const bottom = 16;
  const width = left + columns * cell + 4;
  const height = rows * cell + bottom;
  const every = columns > 16 ? 2 : 1;
  const parts = [
    `<svg class="grid" viewBox="0 0 ${width} ${height}" width="${width}" height="${height}" role="img" aria-label="${htmlEscape(input.label)}" font-family="sans-serif" font-size="9">`,
    `<title>${htmlEscape(input.label)}</title>`,
  ];
  input.matrix.forEach((row, i) => {
    parts.push(
      `<text x="${left - 4}" y="${i * cell + cell * 0.68}" text-anchor="end">${htmlEscape(rowLabels[i] ?? '')}</text>`,
    );
    row.forEach((value, j) => {
      const fill = input.colours?.[i]?.[j] ?? colourOf(input.scale, value);
      const extra = input.tooltip ? `, ${input.tooltip(i, j)}` : '';
      const tip = `${rowLabels[i]}, ${columnLabels[j]}: ${number(value)}${extra}`;
      parts.push(
        `<rect x="${left + j * cell}" y="${i * cell}" width="${cell - 1}" height="${cell - 1}" fill="${fill}"><title>${htmlEscape(tip)}</title></rect>`,
      );
      if (input.annotate)
        parts.push(
          `<text x="${left + j * cell + (cell - 1) / 2}" y="${i * cell + cell * 0.58}" text-anchor="middle" fill="${inkOn(input.scale, value)}">${number(value, 2)}</text>`,
        );
    });
  });
  columnLabels.forEach((label, j) => {
    if (j % every === 0)
      parts.push(
        `<text x="${left + j * cell + (cell - 1) / 2}" y="${rows * cell + 11}" text-anchor="middle">${htmlEscape(label)}</text>`,
      );
  });
  parts.push('</svg>');
  return parts.join('');
}

/** A horizontal colour bar (its gradient named by `id`) with the scale's two ends and its middle, and what it measures. */
export function legendSvg(scale: ColourScale, id: string): string {
  const stops = legendStops(scale);
  const [low, high] = scale.domain;
  const width = 180;
  // Unique in the page: the report holds one legend per task row.
  const gradientId = `legend-${id}`.replace(/[^a-z0-9-]/gi, '_');
  const digits = Math.abs(high - low) < 0.2 ? 3 : 2;
  const label = `${scale.label}: ${low.toFixed(digits)} to ${high.toFixed(digits)}`;
  return [
    `<svg class="legend" viewBox="0 0 ${width} 34" width="${width}" height="34" role="img" aria-label="colour legend, ${htmlEscape(label)}" font-family="sans-serif" font-size="9">`,
    `<defs><linearGradient id="${gradientId}">${stops.map((c, k) => `<stop offset="${((100 * k) / (stops.length - 1)).toFixed(1)}%" stop-color="${c}"/>`).join('')}</linearGradient></defs>`,
    `<rect x="0" y="0" width="${width}" height="12" fill="url(#${gradientId})" stroke="#999" stroke-width="0.5"/>`,
    `<text x="0" y="22">${low.toFixed(digits)}</text>`,
    `<text x="${width / 2}" y="22" text-anchor="middle">${((low + high) / 2).toFixed(digits)}</text>`,
    `<text x="${width}" y="22" text-anchor="end">${high.toFixed(digits)}</text>`,
    `<text x="0" y="32">${htmlEscape(scale.label)}</text>`,
    '</svg>',
  ].join('');
}
