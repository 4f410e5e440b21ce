import { relative } from 'node:path';
import type { ColourScale } from './colour-scales.js';
import { headGridSvg, legendSvg } from './head-grid-svg.js';
import type { OverlapEntry } from './study-files.js';
import type { StudyHeadline } from './study-headline.js';
import { htmlEscape } from './table.js';

const channel = (v: number) => Math.round(255 * Math.min(1, Math.max(0, v)));

function figure(kind: string, caption: string, svg: string): string {
  return `<figure class="overlap-map" data-map="${kind}"><figcaption>${htmlEscape(caption)}</figcaption>${svg}</figure>`;
}

/** The stem cells as a list of "layer l, head h" (1-based), with the rule that made them. */
function stemCellList(
  cells: ReadonlyArray<{ layer: number; head: number }> | undefined,
  definition: string | undefined,
): string {
  if (!cells)
    return '<div class="stem-cells"><h4>Stem cells</h4><p class="missing">not in this overlap analysis</p></div>';
  const items = cells.map((c) => `<li>layer ${c.layer + 1}, head ${c.head + 1}</li>`).join('');
  return [
    `<div class="stem-cells" aria-label="stem cells"><h4>Stem cells: ${cells.length}</h4>`,
    definition ? `<p class="note">${htmlEscape(definition)}</p>` : '',
    cells.length > 0 ? `<ol class="stem-cell-list">${items}</ol>` : '<p>none</p>',
    '</div>',
  ].join('');
}

/**
 * Each overlap analysis: the per-task RGB maps of its runs, the mean-gate map, the Pearson r
 * table as a heat map (blue negative, red positive, value in each cell) and beside them the
 * stem-cell list.
 */
export function overlapSectionHtml(
  overlaps: readonly OverlapEntry[],
  headline: StudyHeadline,
  outputDirectory: string,
): string {
  return overlaps
    .map((overlap, k) => {
      const greys: ColourScale = {
        kind: 'greys',
        domain: [0, 1],
        label: 'mean gate (black: kept)',
      };
      const pearson: ColourScale = { kind: 'diverging', domain: [-1, 1], label: 'Pearson r' };
      const maps: string[] = [];
      for (const task of overlap.perTask) {
        if (!task.rgb) continue;
        const colours = task.rgb.map((row) =>
          row.map(([r, g, b]) => `rgb(${channel(r!)},${channel(g!)},${channel(b!)})`),
        );
        maps.push(
          figure(
            'rgb',
            `${task.task}: runs as red / green / blue (black: kept by every run)`,
            headGridSvg({
              label: `${task.task}: pruning runs as RGB channels`,
              matrix: task.meanGates,
              scale: greys,
              colours,
              tooltip: (i, j) =>
                `gate per run ${task.rgb![i]![j]!.map((c) => (1 - c).toFixed(3)).join(' / ')}`,
            }),
          ),
        );
      }
      if (overlap.meanGates)
        maps.push(
          figure(
            'mean-gates',
            'Mean gate over every pruning run (black: kept)',
            headGridSvg({
              label: 'Mean gate over every pruning run',
              matrix: overlap.meanGates,
              scale: greys,
            }) + legendSvg(greys, `overlap-${k}-gates`),
          ),
        );
      if (overlap.correlation)
        maps.push(
          figure(
            'pearson',
            "Pearson r of the tasks' mean gate vectors (diagonal: agreement of a task's runs)",
            headGridSvg({
              label: 'Pearson r between tasks',
              matrix: overlap.correlation.r,
              scale: pearson,
              rowLabels: overlap.correlation.tasks,
              columnLabels: overlap.correlation.tasks,
              annotate: true,
              cell: 34,
            }) + legendSvg(pearson, `overlap-${k}-pearson`),
          ),
        );
      const cells =
        overlap.stemCells ?? (overlaps.length === 1 ? headline.sharing?.test.stemCells : undefined);
      return [
        `<section class="overlap" aria-label="stem-cell overlap ${k + 1}">`,
        `<p class="note">${htmlEscape(relative(outputDirectory, overlap.file))}</p>`,
        `<div class="overlap-grid"><div class="overlap-maps">${maps.join('')}</div>${stemCellList(cells, overlap.stemCellDefinition)}</div>`,
        '</section>',
      ].join('');
    })
    .join('\n');
}
