import { mkdir, readFile, writeFile, rename } from 'node:fs/promises';
import { join } from 'node:path';
import type { HeadGatesReport } from './head-gates.js';

/** Scores per task (metric name -> value), as the trainer reports them. */
export type TaskScores = Record<string, Record<string, number>>;

/** `<run>/pruning/gates.json`: what `stem prune` leaves for `stem analyze overlap` and reports. */
export interface PruningSummary {
  format: 1;
  /** The `trainingComponents` section holding the gates. */
  component: string;
  tasks: string[];
  seed: number;
  /** Gates of the best dev checkpoint (the one the final scores use). */
  final: HeadGatesReport;
  /** The gates at every dev evaluation (from metrics.ndjson). */
  evaluations: Array<{
    epoch: number;
    step: number;
    score: number;
    keptFraction: number;
    gates: number[][];
  }>;
  /** Each task's primary score name (model selection), e.g. `accuracy`, `las`. */
  primary: Record<string, string>;
  /** Task scores of the best checkpoint with its gates applied and with every head open. */
  scores: {
    gated: { dev: TaskScores; test?: TaskScores };
    open: { dev: TaskScores; test?: TaskScores };
  };
}

export const PRUNING_SUMMARY_FILE = join('pruning', 'gates.json');

/** The dev-evaluation gate reports of component `component` in a run's metrics.ndjson. */
export async function evaluationsOf(
  runDirectory: string,
  component: string,
): Promise<PruningSummary['evaluations']> {
  const text = await readFile(join(runDirectory, 'metrics.ndjson'), 'utf8');
  const evaluations: PruningSummary['evaluations'] = [];
  for (const line of text.split('\n')) {
    if (!line.trim()) continue;
    const event = JSON.parse(line) as {
      event?: string;
      epoch: number;
      step: number;
      score: number;
      components?: Record<string, HeadGatesReport>;
    };
    const report = event.components?.[component];
    if (event.event !== 'dev' || !report) continue;
    evaluations.push({
      epoch: event.epoch,
      step: event.step,
      score: event.score,
      keptFraction: report.keptFraction,
      gates: report.gates,
    });
  }
  return evaluations;
}

export async function writePruningSummary(
  runDirectory: string,
  summary: PruningSummary,
): Promise<string> {
  const file = join(runDirectory, PRUNING_SUMMARY_FILE);
  await mkdir(join(runDirectory, 'pruning'), { recursive: true });
  // Temp file + rename: a reader never sees half a summary.
  await writeFile(`${file}.tmp`, `${JSON.stringify(summary, null, 2)}\n`);
  await rename(`${file}.tmp`, file);
  return file;
}

export async function readPruningSummary(runDirectory: string): Promise<PruningSummary> {
  const file = join(runDirectory, PRUNING_SUMMARY_FILE);
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch {
    throw new Error(
      `${file} is missing: ${runDirectory} is not a finished pruning run (make one with stem prune -c <config>)`,
    );
  }
  let summary: PruningSummary;
  try {
    summary = JSON.parse(text) as PruningSummary;
  } catch (error) {
    throw new Error(`${file}: not valid JSON (${(error as Error).message})`);
  }
  if (summary.format !== 1 || !Array.isArray(summary.final?.gates))
    throw new Error(`${file}: not a pruning summary of format 1 (field "final.gates" missing)`);
  return summary;
}
