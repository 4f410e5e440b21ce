import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { collectStudy, type Study } from '../report/study-files.js';
import {
  formatHeadline,
  studyHeadline,
  type Stat,
  type StudyHeadline,
} from '../report/study-headline.js';
import { correlationTable, keptHeadsTable, scoreTable, settingOf } from '../report/study-tables.js';
import { tableToMarkdown, type Table } from '../report/table.js';

/**
 * The numbers README.md publishes about a committed study directory (docs/study-*), made by
 * the report's own code (collectStudy, studyHeadline, scoreTable) so that the README can be
 * checked against the files (packages/study/test/readme-study-numbers.test.ts) and regenerated after
 * a rerun (apps/cli/scripts/readme-study-numbers.mjs).
 *
 * In README.md a study's generated block sits between `<!-- numbers: <directory> -->` and
 * `<!-- /numbers -->`; the prose of the same section may quote only numbers the report prints
 * for that study (see `unsourcedNumbers`). `<!-- unsourced: a; b -->` in the section names
 * phrases known to have no committed source yet.
 */
export interface StudyReadmeNumbers {
  /** The markdown between the markers. */
  block: string;
  /** Wall time of the study, study.json's createdAt to updatedAt: "1 h 33 min", "10 min 47 s". */
  wallTime?: string;
  /** Runs (training and pruning) and probe results the study holds. */
  runs: number;
  probes: number;
  /**
   * Every decimal number the report prints or implies for this study (headline, task-score,
   * kept-heads and correlation tables, MTL - STL and probe differences), each with the decimals
   * it is known to: README prose may quote any of them rounded to fewer decimals.
   */
  ledger: LedgerNumber[];
  headline: StudyHeadline;
  study: Study;
}

export interface LedgerNumber {
  value: number;
  /** Decimals `value` is exact to (Infinity for a number computed from the files). */
  decimals: number;
  /** Where it comes from, for failure messages. */
  source: string;
}

const pct = (value: number) => (100 * value).toFixed(2);

/** "90.51 ± 0.36" (or "90.77" for one run), in %. */
function percentStat(value: Stat | undefined): string {
  if (!value) return 'missing';
  return value.std === undefined ? pct(value.mean) : `${pct(value.mean)} ± ${pct(value.std)}`;
}

/** A fraction of `total` heads as a head count: "16.3 ± 2.1", or "22" for one run. */
function headCount(value: Stat | undefined, total: number): string {
  if (!value) return 'missing';
  if (value.std === undefined) return (value.mean * total).toFixed(0);
  return `${(value.mean * total).toFixed(1)} ± ${(value.std * total).toFixed(1)}`;
}

/** "POS accuracy", "DEP LAS", "NER F1". */
function taskLabel(task: string, metric: string | undefined): string {
  const name = !metric ? '' : metric === 'accuracy' ? ' accuracy' : ` ${metric.toUpperCase()}`;
  return `${task.toUpperCase()}${name}`;
}

/** "1 h 33 min" from 5,556 s; "10 min 47 s" under an hour. */
export function formatWallTime(seconds: number): string {
  if (seconds >= 3600) {
    const minutes = Math.round(seconds / 60);
    return `${Math.floor(minutes / 60)} h ${minutes % 60} min`;
  }
  const whole = Math.round(seconds);
  return `${Math.floor(whole / 60)} min ${whole % 60} s`;
}

/** The cell of `setting` for `task` in the report's task-score table, without its "(n=3)". */
function scoreCell(table: Table | undefined, setting: string, task: string): string {
  const column = table?.columns.indexOf(setting) ?? -1;
  const row = table?.rows.find((r) => r[0] === task);
  const cell = column >= 0 ? row?.[column] : undefined;
  return !cell || cell === '-' ? 'missing' : cell.replace(/ \(n=\d+\)$/, '');
}

function markdownTable(header: string[], rows: string[][]): string {
  const line = (cells: string[]) => `| ${cells.join(' | ')} |`;
  return [line(header), line(header.map(() => '---')), ...rows.map(line)].join('\n');
}

function blockMarkdown(study: Study, headline: StudyHeadline): string {
  const all = headline.allTasks;
  const mtlLabel = all?.label ?? 'MTL';
  // Task scores through the report's own table: STL and the all-tasks MTL column.
  const scores = scoreTable(study.runs);
  const mtlSetting = all ? settingOf(all.tasks) : undefined;
  const stlDp = new Map(
    headline.keptHeads.filter((k) => k.setting === 'STL-DP').map((k) => [k.tasks, k]),
  );
  const totalHeads = headline.keptHeads.find((k) => k.totalHeads)?.totalHeads ?? 0;
  const splits = new Set(headline.scores.map((s) => s.split ?? 'test'));
  const split = splits.size === 1 ? [...splits][0] : 'mixed';
  const header = [
    `task (${split})`,
    'STL',
    mtlLabel,
    `heads kept by STL-DP (of ${totalHeads})`,
    `probe macro, static / STL / ${mtlLabel} (%)`,
  ];
  const rows = headline.scores.map((line) => {
    const probes = headline.probes.filter((p) => p.task === line.task);
    const probeCell =
      probes.length === 0
        ? 'missing'
        : probes
            .map(
              (p) =>
                `${percentStat(p.static)} / ${percentStat(p.stl)} / ${percentStat(p.mtl)} (${p.probe})`,
            )
            .join('; ');
    return [
      taskLabel(line.task, line.metric),
      scoreCell(scores, 'STL', line.task),
      mtlSetting ? scoreCell(scores, mtlSetting, line.task) : 'missing',
      headCount(stlDp.get(line.task)?.kept, totalHeads),
      probeCell,
    ];
  });
  const mtlDp = headline.keptHeads.find(
    (k) => k.setting === 'MTL-DP' && (!all || k.tasks === all.tasks.join('+')),
  );
  return `${markdownTable(header, rows)}\n\nMTL-DP kept ${headCount(mtlDp?.kept, totalHeads)} of ${totalHeads} heads.`;
}

// A sentence's full stop may follow a number; a version's next part may not.
const DECIMAL = /(?<![\w.])([+\-−]?)(\d+\.\d+)(?!\w|\.\d)/g;

/** Decimal numbers in `text`, signed where the text signs them. */
export function decimalsIn(
  text: string,
): Array<{ text: string; value: number; decimals: number; signed: boolean }> {
  return [...text.matchAll(DECIMAL)].map((m) => {
    const sign = m[1] === '' ? 1 : m[1] === '+' ? 1 : -1;
    return {
      text: m[0],
      value: sign * Number(m[2]),
      decimals: m[2]!.split('.')[1]!.length,
      signed: m[1] !== '',
    };
  });
}

function printedNumbers(text: string, source: string): LedgerNumber[] {
  return decimalsIn(text).map((d) => ({ value: d.value, decimals: d.decimals, source }));
}

function computedDifferences(headline: StudyHeadline): LedgerNumber[] {
  const out: LedgerNumber[] = [];
  const add = (a: Stat | undefined, b: Stat | undefined, source: string) => {
    if (a && b) out.push({ value: 100 * (a.mean - b.mean), decimals: Infinity, source });
  };
  for (const s of headline.scores) add(s.mtl, s.stl, `${s.task}: MTL - STL`);
  for (const p of headline.probes) {
    add(p.stl, p.static, `${p.task} probe: STL - static`);
    add(p.mtl, p.stl, `${p.task} probe: MTL - STL`);
  }
  return out;
}

/** Everything README.md may say about the study in `directory` (a study directory). */
export async function studyReadmeNumbers(directory: string): Promise<StudyReadmeNumbers> {
  const study = await collectStudy([directory]);
  const headline = studyHeadline(study);
  const block = blockMarkdown(study, headline);
  const manifest = JSON.parse(await readFile(join(directory, 'study.json'), 'utf8')) as {
    createdAt?: string;
    updatedAt?: string;
  };
  const seconds =
    manifest.createdAt && manifest.updatedAt
      ? (Date.parse(manifest.updatedAt) - Date.parse(manifest.createdAt)) / 1000
      : undefined;
  const tables = [
    scoreTable(study.runs),
    keptHeadsTable(study.gates),
    ...study.overlaps.map((o, k) => correlationTable(o, k)),
  ].filter((t): t is Table => t !== undefined);
  const ledger = [
    ...printedNumbers(block, 'the generated block'),
    ...printedNumbers(formatHeadline(headline).join('\n'), "the report's headline"),
    ...tables.flatMap((t) => printedNumbers(tableToMarkdown(t), `report table ${t.id}`)),
    ...computedDifferences(headline),
  ];
  return {
    block,
    ...(seconds !== undefined && seconds >= 0 ? { wallTime: formatWallTime(seconds) } : {}),
    runs: study.runs.length,
    probes: study.probes.length,
    ledger,
    headline,
    study,
  };
}

/** One `<!-- numbers: <directory> -->` ... `<!-- /numbers -->` block of README.md. */
export interface NumberBlock {
  directory: string;
  /** The markdown between the markers, trimmed. */
  content: string;
  /** Offsets of the begin marker and of the end of the end marker in the README. */
  start: number;
  end: number;
  /** The section holding the block: from its heading to the next heading. */
  section: string;
  /** Phrases of the section listed in `<!-- unsourced: a; b -->` comments. */
  unsourced: string[];
}

const BLOCK = /<!-- numbers: (\S+) -->\n([\s\S]*?)\n<!-- \/numbers -->/g;
const UNSOURCED = /<!-- unsourced: ([\s\S]*?) -->/g;

export function numberBlocks(readme: string): NumberBlock[] {
  const headings = [...readme.matchAll(/^#{1,6} /gm)].map((m) => m.index!);
  return [...readme.matchAll(BLOCK)].map((m) => {
    const start = m.index!;
    const sectionStart = headings.filter((h) => h < start).at(-1) ?? 0;
    const sectionEnd = headings.find((h) => h > start) ?? readme.length;
    const section = readme.slice(sectionStart, sectionEnd);
    return {
      directory: m[1]!,
      content: m[2]!.trim(),
      start,
      end: start + m[0].length,
      section,
      unsourced: [...section.matchAll(UNSOURCED)].flatMap((u) =>
        u[1]!
          .split(';')
          .map((phrase) => phrase.trim())
          .filter(Boolean),
      ),
    };
  });
}

/**
 * Markdown compared the way prettier leaves it alone: table cells trimmed and separator rows
 * reduced to their column count, whitespace in prose collapsed.
 */
export function normaliseMarkdown(text: string): string {
  return text
    .trim()
    .split('\n')
    .map((line) => {
      const trimmed = line.trim();
      if (!trimmed.startsWith('|')) return trimmed.replace(/\s+/g, ' ');
      const cells = trimmed
        .slice(1, -1)
        .split('|')
        .map((cell) => cell.trim());
      return cells.every((cell) => /^:?-+:?$/.test(cell))
        ? `|${cells.map(() => '---').join('|')}|`
        : `| ${cells.join(' | ')} |`;
    })
    .filter((line, k, lines) => line !== '' || lines[k - 1] !== '')
    .join('\n');
}

/** `readme` with the block of `directory` replaced by `block` (markers kept). */
export function replaceBlock(readme: string, directory: string, block: string): string {
  const found = numberBlocks(readme).find((b) => b.directory === directory);
  if (!found)
    throw new Error(`README has no <!-- numbers: ${directory} --> ... <!-- /numbers --> block`);
  return `${readme.slice(0, found.start)}<!-- numbers: ${directory} -->\n\n${block}\n\n<!-- /numbers -->${readme.slice(found.end)}`;
}

/**
 * Numbers of a README section that the study does not give: decimals that are no ledger number
 * (rounded to the decimals the README prints; an unsigned README number may quote a
 * difference's size), durations other than the study's wall time, and run or probe counts
 * other than the study's. Phrases listed as unsourced are left out.
 */
export function unsourcedNumbers(
  section: string,
  numbers: StudyReadmeNumbers,
  exempt: readonly string[] = [],
): string[] {
  let text = section.replace(UNSOURCED, '');
  for (const phrase of exempt) text = text.split(phrase).join('');
  const problems: string[] = [];
  for (const d of decimalsIn(text)) {
    const found = numbers.ledger.some((n) => {
      const value = d.signed ? n.value : Math.abs(n.value);
      // Printed to the same decimals: the same number. To more: it rounds to the README's,
      // allowing for the source's own rounding. To fewer: the README claims precision it lacks.
      if (n.decimals === d.decimals) return Math.abs(value - d.value) < 1e-9;
      if (n.decimals < d.decimals) return false;
      const ownRounding = Number.isFinite(n.decimals) ? 0.5 * 10 ** -n.decimals : 0;
      return Math.abs(value - d.value) <= 0.5 * 10 ** -d.decimals + ownRounding + 1e-9;
    });
    if (!found) problems.push(`${d.text}: no number the report prints for this study rounds to it`);
  }
  for (const m of text.matchAll(/\b\d+ h \d+ min\b|\b\d+ min \d+ s\b/g))
    if (m[0] !== numbers.wallTime)
      problems.push(
        `${m[0]}: the study's wall time (study.json createdAt to updatedAt) is ${numbers.wallTime ?? 'unknown'}`,
      );
  for (const m of text.matchAll(/\b(\d+) probes\b/g))
    if (Number(m[1]) !== numbers.probes)
      problems.push(`${m[0]}: the study has ${numbers.probes} probes`);
  for (const m of text.matchAll(/\ball (\d+) runs\b/g))
    if (Number(m[1]) !== numbers.runs) problems.push(`${m[0]}: the study has ${numbers.runs} runs`);
  return problems;
}
