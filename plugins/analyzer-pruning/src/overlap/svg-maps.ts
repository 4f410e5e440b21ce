import type { OverlapResult } from './overlap-analysis.js';

/**
 * Plain SVG images of the overlap views (no charting dependency: a grid of rectangles is
 * all they need, and SVG embeds directly in an HTML report). Rows are layers (layer 1 at
 * the top), columns heads, both labelled 1-based.
 */
const CELL = 22;
const MARGIN = { left: 64, top: 40, right: 12, bottom: 28 };

function escapeXml(text: string): string {
  return text.replace(/[<>&"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

function channel(value: number): number {
  return Math.round(Math.min(1, Math.max(0, value)) * 255);
}

/** A [layers][heads] grid of colours with axis labels and a title. */
export function headGridSvg(title: string, colours: string[][], tooltips?: string[][]): string {
  const layers = colours.length;
  const heads = colours[0]?.length ?? 0;
  const width = MARGIN.left + heads * CELL + MARGIN.right;
  const height = MARGIN.top + layers * CELL + MARGIN.bottom;
  const parts = [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" font-family="sans-serif" font-size="11">`,
    `<rect width="${width}" height="${height}" fill="white"/>`,
    `<text x="${MARGIN.left}" y="18" font-size="13">${escapeXml(title)}</text>`,
  ];
  colours.forEach((row, l) => {
    const y = MARGIN.top + l * CELL;
    parts.push(
      `<text x="${MARGIN.left - 6}" y="${y + CELL * 0.7}" text-anchor="end">layer ${l + 1}</text>`,
    );
    row.forEach((colour, h) => {
      const tip = tooltips?.[l]?.[h];
      parts.push(
        `<rect x="${MARGIN.left + h * CELL}" y="${y}" width="${CELL - 1}" height="${CELL - 1}" fill="${colour}">${tip ? `<title>${escapeXml(tip)}</title>` : ''}</rect>`,
      );
    });
  });
  for (let h = 0; h < heads; h++)
    parts.push(
      `<text x="${MARGIN.left + h * CELL + CELL / 2}" y="${MARGIN.top + layers * CELL + 16}" text-anchor="middle">${h + 1}</text>`,
    );
  parts.push('</svg>');
  return `${parts.join('\n')}\n`;
}

/** Per task: channel k = 1 - gate of run k, so black is a head every run kept. */
export function rgbMapSvg(task: OverlapResult['tasks'][number]): string {
  const colours = task.rgb.map((row) =>
    row.map(
      ([r, g, b]) => `rgb(${channel(r as number)},${channel(g as number)},${channel(b as number)})`,
    ),
  );
  const tips = task.rgb.map((row, l) =>
    row.map(
      (cell, h) =>
        `layer ${l + 1} head ${h + 1}: gates ${cell.map((c) => (1 - c).toFixed(3)).join(' / ')}`,
    ),
  );
  return headGridSvg(`${task.task}: runs as R/G/B (black = kept by all)`, colours, tips);
}

/** Mean gate over every run of every task, gray = 1 - mean gate (black = always kept). */
export function meanGateSvg(result: OverlapResult): string {
  const colours = result.meanGates.map((row) =>
    row.map((g) => {
      const v = channel(1 - g);
      return `rgb(${v},${v},${v})`;
    }),
  );
  const tips = result.meanGates.map((row, l) =>
    row.map(
      (g, h) =>
        `layer ${l + 1} head ${h + 1}: mean gate ${g.toFixed(3)}, claimed by ${result.claimedByTasks[l]?.[h]} task(s)`,
    ),
  );
  return headGridSvg(
    `mean gate over ${result.tasks.reduce((n, t) => n + t.runs.length, 0)} runs (black = kept)`,
    colours,
    tips,
  );
}

/** The Pearson r table: blue for positive, red for negative, the value printed in each cell. */
export function correlationSvg(result: OverlapResult): string {
  const { tasks, r } = result.correlation;
  const cell = 64;
  const left = 90;
  const top = 60;
  const size = tasks.length * cell;
  const parts = [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${left + size + 12}" height="${top + size + 12}" font-family="sans-serif" font-size="12">`,
    `<rect width="100%" height="100%" fill="white"/>`,
    `<text x="${left}" y="18" font-size="13">Pearson r of mean gate vectors (diagonal: run agreement)</text>`,
  ];
  tasks.forEach((task, i) => {
    parts.push(
      `<text x="${left - 6}" y="${top + i * cell + cell / 2 + 4}" text-anchor="end">${escapeXml(task)}</text>`,
    );
    parts.push(
      `<text x="${left + i * cell + cell / 2}" y="${top - 8}" text-anchor="middle">${escapeXml(task)}</text>`,
    );
    tasks.forEach((_, j) => {
      const value = r[i]?.[j] ?? null;
      const strength = value === null ? 0 : Math.min(1, Math.abs(value));
      const fade = channel(1 - strength);
      const fill =
        value === null
          ? '#dddddd'
          : value >= 0
            ? `rgb(${fade},${fade},255)`
            : `rgb(255,${fade},${fade})`;
      parts.push(
        `<rect x="${left + j * cell}" y="${top + i * cell}" width="${cell - 2}" height="${cell - 2}" fill="${fill}"/>`,
        `<text x="${left + j * cell + cell / 2}" y="${top + i * cell + cell / 2 + 4}" text-anchor="middle">${value === null ? 'n/a' : value.toFixed(2)}</text>`,
      );
    });
  });
  parts.push('</svg>');
  return `${parts.join('\n')}\n`;
}
