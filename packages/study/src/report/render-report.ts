import { StemError } from '@stem/core';
import { studyDirectoryReportPaths } from '../study/report-paths.js';
import { collectStudy, type Study } from './study-files.js';
import { studyHeadline, type StudyHeadline } from './study-headline.js';
import { writeReport, type ReportFiles } from './write-report.js';

export interface RenderReportOptions {
  /** Folder to write index.html, figures/ and tables/ into. */
  out: string;
  /** Told each file found that the report cannot use, before anything is written. */
  warn?: (problem: string) => void;
}

export interface StudyReport {
  files: ReportFiles;
  /** What was found under the paths, with the files that could not be used (`problems`). */
  study: Study;
  headline: StudyHeadline;
}

/**
 * `stem report`: collects the runs, probe results, pruning gates and overlap analyses found
 * under `paths` (run or study directories, or result files), computes the headline and writes
 * the report. A study directory (one with `study.json`) is read as its study reads it, in grid
 * order, so the report is the one `stem study` wrote. Fails with `NOTHING_TO_REPORT` when the
 * paths hold none of them.
 */
export async function renderReport(
  paths: readonly string[],
  options: RenderReportOptions,
): Promise<StudyReport> {
  const expanded: string[] = [];
  for (const path of paths) expanded.push(...((await studyDirectoryReportPaths(path)) ?? [path]));
  const study = await collectStudy(expanded);
  for (const problem of study.problems) options.warn?.(problem);
  const found =
    study.runs.length +
    study.probes.length +
    study.gates.length +
    study.overlaps.length +
    (study.conflicts?.length ?? 0);
  if (found === 0)
    throw new StemError(
      `nothing to report under ${paths.join(', ')}`,
      'pass run directories (manifest.json), probe-<task>.json files, pruning/gates.json or overlap.json, or folders holding them',
      'NOTHING_TO_REPORT',
    );
  const headline = studyHeadline(study);
  const files = await writeReport(study, options.out, headline);
  return { files, study, headline };
}
