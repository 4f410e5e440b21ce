import type { ConflictPoint } from './gradient-conflict.js';
import { htmlEscape } from './table.js';

interface Series {
  name: string;
  colour: string;
  values: Array<{ update: number; value: number }>;
}

const WIDTH = 520;
const HEIGHT = 220;
const MARGIN = { left: 44, right: 12, top: 12, bottom: 34 };

/**
 * Mean conflict over training as an inline SVG line chart (x: optimiser update, y: fraction of
 * tasks against the summed gradient, 0 to 1): the stem-cell heads against the other heads,
 * or every head when the study has no stem cells. A dot per measurement with its value.
 */
export function conflictCurveSvg(curve: readonly ConflictPoint[]): string {
  const series: Series[] = curve.some((p) => p.stemCells !== undefined)
    ? [
        {
          name: 'stem-cell heads',
          colour: '#b2182b',
          values: curve.map((p) => ({ update: p.update, value: p.stemCells! })),
        },
        {
          name: 'other heads',
          colour: '#2166ac',
          values: curve.map((p) => ({ update: p.update, value: p.others! })),
        },
      ]
    : [
        {
          name: 'every head',
          colour: '#444',
          values: curve.map((p) => ({ update: p.update, value: p.all })),
        },
      ];
  const first = curve[0]?.update ?? 0;
  const last = curve.at(-1)?.update ?? 1;
  const span = last > first ? last - first : 1;
  const plotWidth = WIDTH - MARGIN.left - MARGIN.right;
  const plotHeight = HEIGHT - MARGIN.top - MARGIN.bottom;
  const x = (update: number) =>
    MARGIN.left + (curve.length > 1 ? ((update - first) / span) * plotWidth : plotWidth / 2);
  const y = (value: number) => MARGIN.top + (1 - value) * plotHeight;
  const parts = [
    `<svg class="conflict-curve" viewBox="0 0 ${WIDTH} ${HEIGHT}" width="${WIDTH}" height="${HEIGHT}" style="max-width:100%;height:auto" role="img" aria-label="mean gradient conflict over training" font-family="sans-serif" font-size="10">`,
    '<title>Mean gradient conflict over training</title>',
  ];
  for (const tick of [0, 0.25, 0.5, 0.75, 1])
    parts.push(
      `<line x1="${MARGIN.left}" x2="${WIDTH - MARGIN.right}" y1="${y(tick)}" y2="${y(tick)}" stroke="#e4e4e4"/>`,
      `<text x="${MARGIN.left - 4}" y="${y(tick) + 3}" text-anchor="end">${tick.toFixed(2)}</text>`,
    );
  parts.push(
    `<text x="${MARGIN.left}" y="${HEIGHT - 18}" text-anchor="middle">${first}</text>`,
    `<text x="${WIDTH - MARGIN.right}" y="${HEIGHT - 18}" text-anchor="end">${last}</text>`,
    `<text x="${MARGIN.left + plotWidth / 2}" y="${HEIGHT - 4}" text-anchor="middle">optimiser update</text>`,
  );
  series.forEach((s, k) => {
    const points = s.values.map((v) => `${x(v.update).toFixed(2)},${y(v.value).toFixed(2)}`);
    parts.push(
      `<polyline class="series" data-series="${htmlEscape(s.name)}" fill="none" stroke="${s.colour}" stroke-width="1.6" points="${points.join(' ')}"/>`,
      ...s.values.map(
        (v) =>
          `<circle cx="${x(v.update).toFixed(2)}" cy="${y(v.value).toFixed(2)}" r="2.5" fill="${s.colour}"><title>${htmlEscape(`${s.name}, update ${v.update}: ${v.value.toFixed(3)}`)}</title></circle>`,
      ),
      `<text x="${WIDTH - MARGIN.right - 4}" y="${MARGIN.top + 12 + 12 * k}" text-anchor="end" fill="${s.colour}">${htmlEscape(s.name)}</text>`,
    );
  });
  parts.push('</svg>');
  return parts.join('');
}
