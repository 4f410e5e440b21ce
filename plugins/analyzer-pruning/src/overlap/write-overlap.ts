import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { readPruningSummary } from '../pruning-summary.js';
import {
  analyzeOverlap,
  type OverlapOptions,
  type OverlapResult,
  type PruningRunGates,
} from './overlap-analysis.js';
import { correlationSvg, meanGateSvg, rgbMapSvg } from './svg-maps.js';

/**
 * Reads each run's `pruning/gates.json`, analyses the overlap, writes overlap.json and SVG
 * images (no image when every run was left out: overlap.json then says why).
 */
export async function overlapOfRuns(
  runDirectories: readonly string[],
  outputDirectory: string,
  options: OverlapOptions = {},
): Promise<{ result: OverlapResult; files: string[] }> {
  const runs: PruningRunGates[] = [];
  for (const directory of runDirectories) {
    const summary = await readPruningSummary(directory);
    runs.push({
      source: directory,
      tasks: summary.tasks,
      seed: summary.seed,
      gates: summary.final.gates,
    });
  }
  const result = analyzeOverlap(runs, options);
  await mkdir(outputDirectory, { recursive: true });
  const files: string[] = [];
  const write = async (name: string, content: string) => {
    const file = join(outputDirectory, name);
    await writeFile(file, content);
    files.push(file);
  };
  await write('overlap.json', `${JSON.stringify(result, null, 2)}\n`);
  if (result.tasks.length === 0) return { result, files };
  for (const task of result.tasks) await write(`rgb-${fileSafe(task.task)}.svg`, rgbMapSvg(task));
  await write('mean-gates.svg', meanGateSvg(result));
  await write('correlation.svg', correlationSvg(result));
  return { result, files };
}

function fileSafe(name: string): string {
  return name.replace(/[^a-z0-9_+-]/gi, '_');
}
