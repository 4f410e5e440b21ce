import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { collectStudy, studyHeadline, type Study, type StudyHeadline } from '../src/index.js';
import {
  colourOf,
  sharedDomain,
  symmetricDomain,
  type ColourScale,
} from '../src/report/colour-scales.js';
import { headGridSvg } from '../src/report/head-grid-svg.js';
import { overlapSectionHtml } from '../src/report/overlap-section.js';
import { scoreBarsSvg, settingScores } from '../src/report/score-bars.js';
import { taskProbeMaps, taskProbeRowsHtml } from '../src/report/task-probe-rows.js';
import { repositoryRoot } from './paths.js';

/** The parts of the report's page, checked against the committed quick study's own files. */
const quick = join(repositoryRoot, 'docs', 'study-quick');
const readJson = <T>(path: string): T => JSON.parse(readFileSync(path, 'utf8')) as T;
const accuracy = (file: string) =>
  readJson<{ weightedAccuracy: number[][] }>(file).weightedAccuracy;

let study: Study;
let headline: StudyHeadline;
beforeAll(async () => {
  study = await collectStudy([quick]);
  headline = studyHeadline(study);
});

describe('colour scales', () => {
  const diverging: ColourScale = { kind: 'diverging', domain: [-1, 1], label: 'r' };

  it('puts zero at white-ish, negatives blue and positives red on the diverging scale', () => {
    expect(colourOf(diverging, 0)).toBe('#f7f7f7');
    expect(colourOf(diverging, -1)).toBe('#2166ac');
    expect(colourOf(diverging, 1)).toBe('#b2182b');
    expect(colourOf(diverging, null)).toBe('#e0e0e0');
  });

  it('spans the values of every matrix of a row, and keeps differences symmetric', () => {
    expect(sharedDomain([[[0.12, 0.5]], [[0.83, null]]])).toEqual([0.1, 0.85]);
    expect(symmetricDomain([[[-0.031, 0.02]]])).toEqual([-0.04, 0.04]);
  });
});

describe('the report page parts on docs/study-quick', () => {
  it('maps each task: static, STL, MTL-5 and MTL-5 − STL head by head', () => {
    const maps = taskProbeMaps(study, headline);
    const tasks = readdirSync(join(quick, 'probes', 'static')).map((f) =>
      f.replace(/^probe-|\.json$/g, ''),
    );
    expect(maps.map((m) => m.line.task).sort()).toEqual(tasks.sort());
    for (const m of maps) {
      const { task } = m.line;
      // One STL run and one MTL-5 run in the quick study: the maps are their files.
      const stl = accuracy(
        join(quick, 'runs', `stl-${task}-s1`, 'analyses', 'probe', `probe-${task}.json`),
      );
      expect(m.static).toEqual(accuracy(join(quick, 'probes', 'static', `probe-${task}.json`)));
      expect(m.stl).toEqual(stl);
      const mtl = accuracy(
        join(quick, 'runs', 'mtl5-s1', 'analyses', 'probe', `probe-${task}.json`),
      );
      expect(m.mtl).toEqual(mtl);
      m.difference!.forEach((row, i) =>
        row.forEach((value, j) => expect(value).toBeCloseTo(mtl[i]![j]! - stl[i]![j]!, 12)),
      );
    }
    const html = taskProbeRowsHtml(maps, 'MTL-5');
    expect(html.match(/<section class="task-row"/g)).toHaveLength(maps.length);
    expect(html.match(/data-panel="difference"/g)).toHaveLength(maps.length);
  });

  it('draws a bar per setting per task and a dot per run', () => {
    const runs = readdirSync(join(quick, 'runs'));
    const scores = settingScores(study, headline);
    for (const { task, settings } of scores) {
      expect(settings.map((s) => s.setting)).toEqual(['stl', 'mtl']);
      expect(settings[0]!.values.map((v) => v.run)).toEqual([`stl-${task}-s1`]);
    }
    const svg = scoreBarsSvg(study, headline);
    expect(svg.match(/class="bar"/g)).toHaveLength(2 * scores.length);
    expect(svg.match(/class="seed-dot"/g)).toHaveLength(
      runs.filter((r) => r.startsWith('stl-')).length +
        runs.filter((r) => r.startsWith('mtl5-')).length * scores.length,
    );
  });

  it('shows the RGB maps, the mean gate, the Pearson heat map and the stem cells', () => {
    const overlap = readJson<{
      tasks: unknown[];
      stemCells: Array<{ layer: number; head: number }>;
    }>(join(quick, 'analyses', 'overlap', 'overlap.json'));
    const html = overlapSectionHtml(study.overlaps, headline, join(quick, 'report'));
    expect(html.match(/data-map="rgb"/g)).toHaveLength(overlap.tasks.length);
    expect(html.match(/data-map="mean-gates"/g)).toHaveLength(1);
    expect(html.match(/data-map="pearson"/g)).toHaveLength(1);
    for (const { layer, head } of overlap.stemCells)
      expect(html).toContain(`<li>layer ${layer + 1}, head ${head + 1}</li>`);
  });

  it('labels each head grid for screen readers and colours null cells grey', () => {
    const svg = headGridSvg({
      label: 'a < b',
      matrix: [[0, null]],
      scale: { kind: 'sequential', domain: [0, 1], label: 'x' },
    });
    expect(svg).toContain('aria-label="a &#60; b"');
    expect(svg).toContain('role="img"');
    expect(svg).toContain('fill="#e0e0e0"');
  });
});
