import { join, relative } from 'node:path';
import { writeFileAtomic } from '@stem/core';
import { heatmapSvg, type HeatmapInput } from './heatmap.js';
import type { Study } from './study-files.js';
import { formatHeadline, studyHeadline, type StudyHeadline } from './study-headline.js';
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

function tablesOf(study: Study): Table[] {
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
  return tables;
}

const STYLE = `body{font-family:sans-serif;margin:2em;max-width:1200px;color:#222}
figure{display:inline-block;margin:0 2em 2em 0;vertical-align:top}
figcaption{font-size:.8em;color:#555;max-width:480px;word-break:break-all}
table{border-collapse:collapse;margin:1em 0}caption{font-weight:bold;text-align:left;padding:.3em 0}
th,td{border-bottom:1px solid #ccc;padding:.2em .7em;text-align:right}th:first-child,td:first-child{text-align:left}
.note{font-size:.85em;color:#555}.problems{color:#a00}
.headline pre{background:#f6f6f6;padding:1em;white-space:pre-wrap}.caveat{color:#a00;font-weight:bold}
.verdict{font-weight:bold;padding:0 .3em}.verdict-reproduced{color:#060}.verdict-not-reproduced{color:#a00}
.verdict-inconclusive,.verdict-not-tested,.verdict-not-enough-data{color:#865}`;

/** One line per claim of He & Choi 2021: its verdict, marked when the data are no evidence. */
function claimsHtml(headline: StudyHeadline): string {
  const items = headline.claims.map(
    (claim) =>
      `<li>${claim.id}. ${htmlEscape(claim.claim)}: <span class="verdict verdict-${claim.verdict.replaceAll(' ', '-')}">${htmlEscape(claim.verdict.toUpperCase())}</span>${claim.evidence ? '' : ' (not evidence: see the caveat)'}</li>`,
  );
  return `<ul class="claims">${items.join('')}</ul>`;
}

/**
 * Writes `figures/*.svg`, `tables/*.md|tex` and one self-contained `index.html` (no scripts,
 * no network) that shows every figure and table of the study.
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
  const tables = tablesOf(study);
  const tableFiles: string[] = [];
  for (const table of tables) {
    const md = join(outputDirectory, 'tables', `${table.id}.md`);
    const tex = join(outputDirectory, 'tables', `${table.id}.tex`);
    await writeFileAtomic(md, tableToMarkdown(table));
    await writeFileAtomic(tex, tableToLatex(table));
    tableFiles.push(md, tex);
  }
  const counts = `${study.runs.length} runs, ${study.probes.length} probe results, ${study.gates.length} gate files, ${study.overlaps.length} overlap analyses`;
  const html = [
    '<!doctype html>',
    '<html lang="en"><head><meta charset="utf-8">',
    '<title>stem report</title>',
    `<style>${STYLE}</style></head><body>`,
    '<h1>stem report</h1>',
    '<section class="headline"><h2>Headline</h2>',
    headline.encoder.caveat ? `<p class="caveat">${htmlEscape(headline.encoder.caveat)}</p>` : '',
    claimsHtml(headline),
    `<pre>${htmlEscape(formatHeadline(headline).join('\n'))}</pre></section>`,
    `<p>${htmlEscape(counts)}.</p>`,
    study.problems.length > 0
      ? `<ul class="problems">${study.problems.map((p) => `<li>${htmlEscape(p)}</li>`).join('')}</ul>`
      : '',
    figures.length > 0 ? '<h2>Heat maps</h2>' : '',
    ...figures.map(
      (figure) =>
        `<figure><a href="figures/${figure.id}.svg"><img src="figures/${figure.id}.svg" alt="${htmlEscape(figure.input.title)}"></a><figcaption>${htmlEscape(relative(outputDirectory, figure.source))}</figcaption></figure>`,
    ),
    tables.length > 0 ? '<h2>Tables</h2>' : '',
    ...tables.map(
      (table) =>
        `<section>${tableToHtml(table)}<p class="note"><a href="tables/${table.id}.md">Markdown</a> · <a href="tables/${table.id}.tex">LaTeX</a></p></section>`,
    ),
    '</body></html>',
    '',
  ].join('\n');
  const index = join(outputDirectory, 'index.html');
  await writeFileAtomic(index, html);
  return { index, figures: figureFiles, tables: tableFiles, headline };
}
