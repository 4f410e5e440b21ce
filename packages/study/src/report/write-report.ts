import { join, relative } from 'node:path';
import { writeFileAtomic } from '@stem/core';
import { heatmapSvg, type HeatmapInput } from './heatmap.js';
import type { Study } from './study-files.js';
import { scoreOutcomeText } from './claim-scores.js';
import { intervalText } from './claim-verdict.js';
import { headlineSummaryHtml } from './headline-summary.js';
import { overlapSectionHtml } from './overlap-section.js';
import { conflictHeadSetTable, conflictSectionHtml } from './conflict-section.js';
import { scoreBarsSvg } from './score-bars.js';
import { studyHeadline, type StudyHeadline } from './study-headline.js';
import { taskProbeMaps, taskProbeRowsHtml } from './task-probe-rows.js';
import { correlationTable, keptHeadsTable, probeTable, scoreTable } from './study-tables.js';
import { htmlEscape, tableToHtml, tableToLatex, tableToMarkdown, type Table } from './table.js';

export interface ReportFiles {
  index: string;
  figures: string[];
  tables: string[];
  /** The study in a few numbers, shown first in index.html. */
  headline: StudyHeadline;
}

interface Figure {
  id: string;
  input: HeatmapInput;
  /** Where the data came from, shown under the figure. */
  source: string;
}

function fileSafe(text: string): string {
  return text.replace(/[^a-z0-9_.+-]+/gi, '_');
}

/** Heat maps of every matrix in the study: probe accuracy per head, gates, overlap, correlation. */
function figuresOf(study: Study): Figure[] {
  const figures: Figure[] = [];
  const ids = new Set<string>();
  const add = (id: string, input: HeatmapInput, source: string) => {
    let unique = fileSafe(id);
    for (let k = 2; ids.has(unique); k++) unique = `${fileSafe(id)}-${k}`;
    ids.add(unique);
    figures.push({ id: unique, input, source });
  };
  const grid = { rowTitle: 'layer', columnTitle: 'head' };
  for (const { name, result, file } of study.probes)
    add(
      `probe-${result.task}-${name}`,
      {
        title: `${result.task.toUpperCase()} ${result.probe} probe, ${name}: accuracy per head`,
        matrix: result.weightedAccuracy,
        legend: 'accuracy',
        domain: [0, 1],
        ...grid,
      },
      file,
    );
  for (const entry of study.gates)
    add(
      `gates-${entry.name}`,
      {
        title: `Head gates, ${entry.tasks.join('+') || entry.name}${entry.seed !== undefined ? ` (seed ${entry.seed})` : ''}: ${entry.keptHeads} kept`,
        matrix: entry.gates,
        legend: 'gate',
        domain: [0, 1],
        scheme: 'greys',
        ...grid,
      },
      entry.file,
    );
  study.overlaps.forEach((overlap, k) => {
    const suffix = study.overlaps.length > 1 ? ` (${k + 1})` : '';
    if (overlap.meanGates)
      add(
        `overlap-mean-gates-${k + 1}`,
        {
          title: `Mean gate over all pruning runs${suffix}`,
          matrix: overlap.meanGates,
          legend: 'mean gate',
          domain: [0, 1],
          scheme: 'greys',
          ...grid,
        },
        overlap.file,
      );
    for (const task of overlap.perTask)
      add(
        `overlap-${task.task}-${k + 1}`,
        {
          title: `Mean gate of ${task.task} over its runs${suffix}`,
          matrix: task.meanGates,
          legend: 'mean gate',
          domain: [0, 1],
          scheme: 'greys',
          ...grid,
        },
        overlap.file,
      );
    if (overlap.correlation)
      add(
        `overlap-correlation-${k + 1}`,
        {
          title: `Correlation of task gates${suffix}`,
          matrix: overlap.correlation.r,
          legend: 'Pearson r',
          domain: [-1, 1],
          scheme: 'redblue',
          rowTitle: 'task',
          columnTitle: 'task',
          rowLabels: overlap.correlation.tasks,
          columnLabels: overlap.correlation.tasks,
          annotate: true,
        },
        overlap.file,
      );
  });
  return figures;
}

function tablesOf(study: Study, headline: StudyHeadline): Table[] {
  const tables: Table[] = [];
  const scores = scoreTable(study.runs);
  if (scores) tables.push(scores);
  const kept = keptHeadsTable(study.gates);
  if (kept) tables.push(kept);
  study.overlaps.forEach((overlap, k) => {
    const table = correlationTable(overlap, k);
    if (table) tables.push(table);
  });
  const tasks = [...new Set(study.probes.map((p) => p.result.task))];
  for (const task of tasks)
    tables.push(
      probeTable(
        task,
        study.probes.filter((p) => p.result.task === task),
      ),
    );
  if (headline.conflict) tables.push(conflictHeadSetTable(headline.conflict));
  return tables;
}

const STYLE = `body{font-family:system-ui,sans-serif;margin:0 auto;padding:1em 1.5em;max-width:1240px;color:#222;line-height:1.4}
h1{margin:.2em 0}h2{border-bottom:2px solid #ddd;padding-bottom:.2em;margin-top:1.6em}h3{font-size:1em;margin:.3em 0}
nav a{margin-right:1em}.note{font-size:.85em;color:#555;font-weight:normal}.missing{color:#999;font-style:italic}.problems{color:#a00}
.cards{display:grid;grid-template-columns:repeat(auto-fit,minmax(320px,1fr));gap:.8em;margin:1em 0}
.card{border:1px solid #ddd;border-radius:6px;padding:.6em .9em;background:#fafafa}.card ul{padding-left:1.2em;margin:.3em 0;font-size:.85em}
.badge{display:inline-block;border-radius:3px;padding:0 .4em;font-size:.8em;font-weight:bold;color:#fff;background:#777}
.gate-passed,.status-gates-passed{background:#2a7d2a}.gate-failed,.status-gates-failed,.status-random,.status-mixed{background:#b22}
.caveat{color:#a00;font-weight:bold}.caveat-note{color:#a00;font-size:.85em;margin:.2em 0}
.verdict{font-weight:bold;padding:0 .3em}.verdict-reproduced{color:#060}.verdict-not-reproduced{color:#a00}
.verdict-inconclusive,.verdict-not-tested,.verdict-not-enough-data{color:#865}
.badge.verdict{color:#fff}.badge.verdict-reproduced{background:#2a7d2a}.badge.verdict-not-reproduced{background:#b22}
.badge.verdict-inconclusive,.badge.verdict-not-tested,.badge.verdict-not-enough-data{background:#a07a2c}
.claims{list-style:none;padding:0}.claims li{margin:.15em 0}
pre{background:#f6f6f6;padding:1em;white-space:pre-wrap;font-size:.85em}summary{cursor:pointer;font-weight:bold;margin:.5em 0}
.task-row{border-top:1px solid #eee;padding:.6em 0}
.panels{display:grid;grid-template-columns:repeat(auto-fit,minmax(200px,1fr));gap:.8em;align-items:start}
.panel,.overlap-map{margin:0}.panel figcaption,.overlap-map figcaption{font-size:.85em;margin-bottom:.2em}.panel figcaption{min-height:2.6em}
svg.grid{width:100%;height:auto;max-width:340px;display:block}.overlap-map svg.grid{max-width:260px}
.legends{display:flex;flex-wrap:wrap;gap:2em;margin-top:.4em}
svg.score-bars{width:100%;height:auto;max-width:900px;display:block}
.overlap-grid{display:grid;grid-template-columns:minmax(0,3fr) minmax(180px,1fr);gap:1em;align-items:start}
.overlap-maps{display:grid;grid-template-columns:repeat(auto-fill,minmax(200px,1fr));gap:.8em}
.stem-cells{border:1px solid #ddd;border-radius:6px;padding:.5em .9em;background:#fafafa}.stem-cells h4{margin:.2em 0}
@media (max-width:900px){.overlap-grid{grid-template-columns:1fr}}
.files figure{display:inline-block;margin:0 1.5em 1.5em 0;vertical-align:top}
.files figcaption{font-size:.8em;color:#555;max-width:480px;word-break:break-all}
table{border-collapse:collapse;margin:1em 0}caption{font-weight:bold;text-align:left;padding:.3em 0}
th,td{border-bottom:1px solid #ccc;padding:.2em .7em;text-align:right}th:first-child,td:first-child{text-align:left}`;

/** Under the bar chart: each task's paired difference with its interval and claim-1 outcome. */
function differencesHtml(headline: StudyHeadline): string {
  const all = headline.allTasks?.label ?? 'MTL';
  const items = headline.scores.map(
    (s) =>
      `<li><strong>${htmlEscape(s.task)}</strong>: ${all} − STL ${s.difference ? htmlEscape(intervalText(s.difference)) : 'n/a'}${s.outcome ? ` · ${htmlEscape(scoreOutcomeText(s))}` : ''}</li>`,
  );
  return `<ul class="differences note">${items.join('')}</ul>`;
}

/**
 * Writes `figures/*.svg`, `tables/*.md|tex` and one self-contained `index.html` (no scripts,
 * no network, its charts inline SVG): the headline as cards, STL vs the all-tasks setting as a
 * bar chart, a row of probe maps per task, the stem-cell overlap, and every table and figure
 * file under "All numbers".
 */
export async function writeReport(
  study: Study,
  outputDirectory: string,
  headline: StudyHeadline = studyHeadline(study),
): Promise<ReportFiles> {
  // Atomic writes create the folders and turn a read-only or full disk into WRITE_FAILED.
  const figures = figuresOf(study);
  const figureFiles: string[] = [];
  for (const figure of figures) {
    const file = join(outputDirectory, 'figures', `${figure.id}.svg`);
    await writeFileAtomic(file, await heatmapSvg(figure.input));
    figureFiles.push(file);
  }
  const tables = tablesOf(study, headline);
  const tableFiles: string[] = [];
  for (const table of tables) {
    const md = join(outputDirectory, 'tables', `${table.id}.md`);
    const tex = join(outputDirectory, 'tables', `${table.id}.tex`);
    await writeFileAtomic(md, tableToMarkdown(table));
    await writeFileAtomic(tex, tableToLatex(table));
    tableFiles.push(md, tex);
  }
  const counts = `${study.runs.length} runs, ${study.probes.length} probe results, ${study.gates.length} gate files, ${study.overlaps.length} overlap analyses`;
  const all = headline.allTasks?.label ?? 'MTL';
  const probeMaps = taskProbeMaps(study, headline);
  const html = [
    '<!doctype html>',
    '<html lang="en"><head><meta charset="utf-8">',
    '<meta name="viewport" content="width=device-width, initial-scale=1">',
    '<title>stem report</title>',
    `<style>${STYLE}</style></head><body>`,
    '<header><h1>stem report</h1>',
    `<p class="note">${htmlEscape(counts)}.</p>`,
    `<nav aria-label="sections"><a href="#scores">Task scores</a><a href="#probes">Probe maps per task</a><a href="#overlap">Stem cells</a>${headline.conflict ? '<a href="#conflict">Gradient conflict</a>' : ''}<a href="#all-numbers">All numbers</a></nav></header>`,
    study.problems.length > 0
      ? `<ul class="problems">${study.problems.map((p) => `<li>${htmlEscape(p)}</li>`).join('')}</ul>`
      : '',
    headlineSummaryHtml(headline),
    headline.scores.length > 0
      ? `<section id="scores"><h2>Task scores: STL vs ${htmlEscape(all)}</h2>${scoreBarsSvg(study, headline)}${differencesHtml(headline)}</section>`
      : '',
    probeMaps.length > 0
      ? `<section id="probes"><h2>Heat maps: probe accuracy per head, by task</h2><p class="note">Rows are layers, columns heads. Static, STL and ${htmlEscape(all)} share one colour scale per task; the difference uses a diverging scale centred on zero.</p>\n${taskProbeRowsHtml(probeMaps, all)}</section>`
      : '',
    study.overlaps.length > 0
      ? `<section id="overlap"><h2>Stem cells: where the pruning runs overlap</h2>${overlapSectionHtml(study.overlaps, headline, outputDirectory)}</section>`
      : '',
    // Spread, not '': a study without conflict data keeps its report byte for byte.
    ...(headline.conflict
      ? [
          `<section id="conflict"><h2>Gradient conflict between tasks, per head</h2>${conflictSectionHtml(headline.conflict)}</section>`,
        ]
      : []),
    '<section id="all-numbers"><h2>All numbers</h2>',
    tables.length > 0 ? `<details class="tables"><summary>Tables (${tables.length})</summary>` : '',
    ...tables.map(
      (table) =>
        `<section>${tableToHtml(table)}<p class="note"><a href="tables/${table.id}.md">Markdown</a> · <a href="tables/${table.id}.tex">LaTeX</a></p></section>`,
    ),
    tables.length > 0 ? '</details>' : '',
    figures.length > 0
      ? `<details class="files"><summary>Every heat map as an SVG file (${figures.length})</summary>`
      : '',
    ...figures.map(
      (figure) =>
        `<figure><a href="figures/${figure.id}.svg"><img src="figures/${figure.id}.svg" alt="${htmlEscape(figure.input.title)}"></a><figcaption>${htmlEscape(relative(outputDirectory, figure.source))}</figcaption></figure>`,
    ),
    figures.length > 0 ? '</details>' : '',
    '</section>',
    '</body></html>',
    '',
  ].join('\n');
  const index = join(outputDirectory, 'index.html');
  await writeFileAtomic(index, html);
  return { index, figures: figureFiles, tables: tableFiles, headline };
}
