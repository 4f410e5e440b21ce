import { basename, resolve } from 'node:path';
import type { ProbeResult } from '@stem/analyzer-probe';
import { sharedDomain, symmetricDomain, type ColourScale } from './colour-scales.js';
import { headGridSvg, legendSvg } from './head-grid-svg.js';
import type { Study } from './study-files.js';
import { formatStat, type ProbeLine, type StudyHeadline } from './study-headline.js';
import { htmlEscape } from './table.js';

type Matrix = Array<Array<number | null>>;

/** One task's probe maps: static, STL and the all-tasks setting, averaged over runs. */
export interface TaskProbeMaps {
  line: ProbeLine;
  static?: Matrix;
  stl?: Matrix;
  mtl?: Matrix;
  /** All-tasks minus STL, head by head; absent without both. */
  difference?: Matrix;
}

/** The element-wise mean of same-shaped matrices; undefined for none or for mixed shapes. */
function meanMatrix(results: readonly ProbeResult[]): Matrix | undefined {
  const first = results[0]?.weightedAccuracy;
  if (!first) return undefined;
  const sameShape = results.every(
    (r) =>
      r.weightedAccuracy.length === first.length &&
      r.weightedAccuracy.every((row, i) => row.length === first[i]!.length),
  );
  if (!sameShape) return undefined;
  return first.map((row, i) =>
    row.map((_, j) => {
      const values = results.map((r) => r.weightedAccuracy[i]![j]!).filter(Number.isFinite);
      return values.length === 0 ? null : values.reduce((a, b) => a + b, 0) / values.length;
    }),
  );
}

/**
 * Per probe line of the headline, the per-head accuracy maps of its static probe and of the
 * STL and all-tasks runs the headline used (their folders, in `line.runs`), one result per run.
 */
export function taskProbeMaps(study: Study, headline: StudyHeadline): TaskProbeMaps[] {
  return headline.probes.map((line) => {
    const ofLine = study.probes.filter(
      (p) => p.result.task === line.task && p.result.probe === line.probe,
    );
    const fromRuns = (names: readonly string[] | undefined) => {
      const seen = new Set<string>();
      const results: ProbeResult[] = [];
      for (const entry of ofLine) {
        if (entry.result.source?.kind === 'static' || !entry.runDirectory) continue;
        const directory = resolve(entry.runDirectory);
        if (!names?.includes(basename(directory)) || seen.has(directory)) continue;
        seen.add(directory);
        results.push(entry.result);
      }
      return meanMatrix(results);
    };
    const maps: TaskProbeMaps = { line };
    const staticMap = meanMatrix(
      ofLine.filter((p) => p.result.source?.kind === 'static').map((p) => p.result),
    );
    const stl = fromRuns(line.runs?.stl);
    const mtl = fromRuns(line.runs?.mtl);
    if (staticMap) maps.static = staticMap;
    if (stl) maps.stl = stl;
    if (mtl) maps.mtl = mtl;
    if (stl && mtl && stl.length === mtl.length && stl[0]?.length === mtl[0]?.length)
      maps.difference = mtl.map((row, i) =>
        row.map((v, j) => (v === null || stl[i]![j] === null ? null : v - stl[i]![j]!)),
      );
    return maps;
  });
}

function panel(kind: string, heading: string, note: string, svg: string | undefined): string {
  const body = svg ?? '<p class="missing">missing</p>';
  return `<figure class="panel" data-panel="${kind}"><figcaption><strong>${htmlEscape(heading)}</strong> <span class="note">${htmlEscape(note)}</span></figcaption>${body}</figure>`;
}

/**
 * One row per task and probe: static, STL, all-tasks and the all-tasks − STL difference, the
 * first three on one colour scale (the row's range), the difference on a diverging one.
 */
export function taskProbeRowsHtml(maps: readonly TaskProbeMaps[], allLabel: string): string {
  return maps
    .map((m, k) => {
      const { task, probe } = m.line;
      const name = `${task.toUpperCase()} ${probe} probe`;
      const shared: ColourScale = {
        kind: 'sequential',
        domain: sharedDomain([m.static, m.stl, m.mtl].filter((x): x is Matrix => !!x)),
        label: 'accuracy (weighted, per head)',
      };
      const diverging: ColourScale = {
        kind: 'diverging',
        domain: m.difference ? symmetricDomain([m.difference]) : [-0.01, 0.01],
        label: `${allLabel} − STL accuracy`,
      };
      const grid = (matrix: Matrix | undefined, scale: ColourScale, what: string) =>
        matrix && matrix.length > 0
          ? headGridSvg({ label: `${name}, ${what}: accuracy per head`, matrix, scale })
          : undefined;
      const runs = (names: readonly string[] | undefined) =>
        names && names.length > 0 ? `mean of ${names.length} run(s)` : '';
      return [
        `<section class="task-row" id="task-${htmlEscape(task)}-${htmlEscape(probe)}" data-task="${htmlEscape(task)}" aria-label="${htmlEscape(name)}: static, STL, ${htmlEscape(allLabel)} and difference">`,
        `<h3>${htmlEscape(name)} <span class="note">macro best-head accuracy: static ${formatStat(m.line.static)} · STL ${formatStat(m.line.stl)} · ${htmlEscape(allLabel)} ${formatStat(m.line.mtl)}</span></h3>`,
        '<div class="panels">',
        panel(
          'static',
          'static',
          'encoder before fine-tuning',
          grid(m.static, shared, 'static encoder'),
        ),
        panel('stl', 'STL', runs(m.line.runs?.stl), grid(m.stl, shared, 'STL')),
        panel('mtl', allLabel, runs(m.line.runs?.mtl), grid(m.mtl, shared, allLabel)),
        panel(
          'difference',
          `${allLabel} − STL`,
          'red: higher in ' + allLabel + ', blue: higher in STL',
          grid(m.difference, diverging, `${allLabel} minus STL`),
        ),
        '</div>',
        `<div class="legends">${legendSvg(shared, `row-${k}-accuracy`)}${legendSvg(diverging, `row-${k}-difference`)}</div>`,
        '</section>',
      ].join('');
    })
    .join('\n');
}
