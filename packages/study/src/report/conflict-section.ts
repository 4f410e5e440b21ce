import { sharedDomain, type ColourScale } from './colour-scales.js';
import { pText } from './claim-verdict.js';
import { conflictCurveSvg } from './conflict-curve-svg.js';
import type { GradientConflict } from './gradient-conflict.js';
import { headGridSvg, legendSvg } from './head-grid-svg.js';
import { htmlEscape, tableToHtml, type Table } from './table.js';

const number = (value: number) => value.toFixed(3);

/** "Claimed heads vs conflict": each head set's inside and outside mean with its permutation test. */
export function conflictHeadSetTable(conflict: GradientConflict): Table {
  return {
    id: 'gradient-conflict-head-sets',
    title: 'Claimed heads vs gradient conflict (mean conflict per head, MTL runs over every task)',
    columns: ['head set', 'heads', 'inside mean', 'outside mean', 'difference', 'p', 'null 95%'],
    rows: conflict.headSets.map((set) =>
      typeof set.test === 'string'
        ? [set.name, '', '', '', '', '', `not tested: ${set.test}`]
        : [
            set.name,
            `${set.test.inside.heads} of ${set.test.inside.heads + set.test.outside.heads}`,
            number(set.test.inside.mean),
            number(set.test.outside.mean),
            `${set.test.difference >= 0 ? '+' : ''}${number(set.test.difference)}`,
            pText(set.test.p),
            `[${number(set.test.nullInterval[0])}, ${number(set.test.nullInterval[1])}]`,
          ],
    ),
    note: `Two-sided permutation test: ${conflict.draws} random head sets of the same size (seed ${conflict.seed}); null 95% = the 2.5% and 97.5% quantiles of their differences. ${conflict.headSets.map((s) => `${s.name}: ${s.definition}`).join('; ')}.`,
  };
}

function panel(caption: string, svg: string): string {
  return `<figure class="panel"><figcaption>${htmlEscape(caption)}</figcaption>${svg}</figure>`;
}

/**
 * The "Gradient conflict" section: heat maps (layers x heads) of mean conflict and of each task
 * pair's mean cosine over the all-task runs, conflict over training (stem cells against the
 * rest) and the head-set table.
 */
export function conflictSectionHtml(conflict: GradientConflict): string {
  const conflictScale: ColourScale = {
    kind: 'sequential',
    domain: sharedDomain([conflict.meanConflict]),
    label: 'mean conflict (fraction of tasks against the sum)',
  };
  const cosineScale: ColourScale = { kind: 'diverging', domain: [-1, 1], label: 'mean cosine' };
  const stem = new Set((conflict.stemCells ?? []).map((c) => `${c.layer}.${c.head}`));
  const tooltip = (l: number, h: number) => (stem.has(`${l}.${h}`) ? 'stem cell' : '');
  const maps = [
    panel(
      'Overall: mean conflict per head',
      headGridSvg({
        label: 'Mean gradient conflict per head',
        matrix: conflict.meanConflict,
        scale: conflictScale,
        tooltip,
      }),
    ),
    ...Object.entries(conflict.meanCosine).map(([pair, matrix]) =>
      panel(
        `${pair.replace('|', ' vs ')}: mean cosine`,
        headGridSvg({ label: `Mean gradient cosine ${pair}`, matrix, scale: cosineScale, tooltip }),
      ),
    ),
  ];
  return [
    `<p class="note">The gradient-conflict meter's measurements of ${htmlEscape(conflict.runs.join(', '))} (${htmlEscape(conflict.tasks.join(', '))}; ${conflict.measurements} measurements), averaged over measurements, then runs. Rows are layers, columns heads; conflict is the fraction of tasks whose head gradient points against the tasks' summed gradient, cosine the agreement of two tasks' head gradients (red: same direction, blue: opposed).</p>`,
    `<div class="panels conflict-maps">${maps.join('')}</div>`,
    `<div class="legends">${legendSvg(conflictScale, 'conflict')}${legendSvg(cosineScale, 'conflict-cosine')}</div>`,
    '<h3>Conflict over training</h3>',
    conflictCurveSvg(conflict.curve),
    conflict.stemCells
      ? ''
      : '<p class="note">No stem cells (no overlap analysis, or it found none): the curve is the mean over every head.</p>',
    tableToHtml(conflictHeadSetTable(conflict)),
  ].join('\n');
}
