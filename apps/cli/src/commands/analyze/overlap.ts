import { Flags } from '@oclif/core';
import { overlapOfRuns, type OverlapResult } from '@stem/analyzer-pruning';
import { StemError } from '@stem/core';
import { StemCommand } from '../../base-command.js';

export default class AnalyzeOverlap extends StemCommand<typeof AnalyzeOverlap> {
  static override summary =
    'Compare pruning runs: which heads each task claims, and whether tasks claim the same ones (stem cells).';
  static override description =
    'Reads <run>/pruning/gates.json of each run (made by stem prune) and writes, under --output: overlap.json (per task the runs as an RGB map with channel k = 1 - gate of run k, mean gates, kept fractions per task and layer; the mean gate over every run of every task; heads claimed by every task; the Pearson r table between tasks\' mean gate vectors, diagonal = sqrt(adjusted R^2) of the last run regressed on the others, or Pearson r when a task has two runs) and SVG maps: rgb-<task>.svg, mean-gates.svg, correlation.svg. Runs are grouped by their tasks (an MTL run by its tasks joined with "+"), in the order given.';
  static override examples = [
    '<%= config.bin %> analyze overlap runs/prune-pos-s1 runs/prune-pos-s2 runs/prune-pos-s3 -o analyses/overlap',
    '<%= config.bin %> analyze overlap runs/prune-* --json',
  ];
  static override strict = false;
  static override flags = {
    output: Flags.string({
      char: 'o',
      description: 'Directory for overlap.json and the SVG maps.',
      default: 'overlap',
    }),
  };

  async run(): Promise<{ files: string[] } & OverlapResult> {
    const { argv } = await this.parse(AnalyzeOverlap);
    const runs = (argv as string[]).filter((a) => !a.startsWith('-'));
    if (runs.length === 0)
      throw new StemError('no run directory given', 'stem analyze overlap <run-dir> <run-dir>...');
    let analysis: Awaited<ReturnType<typeof overlapOfRuns>>;
    try {
      analysis = await overlapOfRuns(runs, this.flags.output);
    } catch (error) {
      throw new StemError((error as Error).message, 'pass run directories made by stem prune');
    }
    const { result, files } = analysis;
    if (!this.jsonEnabled()) {
      for (const task of result.tasks)
        this.log(
          `${task.task}: ${task.runs.length} run(s), kept ${(100 * task.keptFraction).toFixed(1)}% of heads; per layer ${task.keptFractionPerLayer.map((f) => f.toFixed(2)).join(' ')}`,
        );
      this.log(
        `stem cells (claimed by every task, layer.head 1-based): ${result.stemCells.map((c) => `${c.layer + 1}.${c.head + 1}`).join(' ') || 'none'}`,
      );
      const { tasks, r } = result.correlation;
      const width = Math.max(8, ...tasks.map((t) => t.length + 1));
      this.log(['r'.padEnd(width), ...tasks.map((t) => t.padStart(width))].join(''));
      tasks.forEach((task, i) =>
        this.log(
          [
            task.padEnd(width),
            ...(r[i] ?? []).map((v) => (v === null ? 'n/a' : v.toFixed(3)).padStart(width)),
          ].join(''),
        ),
      );
      for (const entry of result.correlation.diagonal)
        if (entry.note) this.log(`note: ${entry.task}: ${entry.note}`);
      for (const note of result.notes) this.log(`note: ${note}`);
      this.log(`wrote ${files.join(', ')}`);
    }
    return { ...result, files };
  }
}
