import { Args, Flags } from '@oclif/core';
import { formatHeadline, renderReport, type ReportFiles } from '@stem/study';
import { StemCommand } from '../base-command.js';

export default class Report extends StemCommand<typeof Report> {
  static override summary =
    'An HTML page with heat maps and tables of the runs, probe results, pruning gates and overlap analyses found under the given paths.';
  static override description =
    "Looks for manifest.json + results.json (runs: task scores, STL vs MTL, mean ± std over seeds), probe-<task>.json (stem probe), pruning/gates.json (stem prune) and overlap.json (stem analyze overlap), up to 5 folders deep. Writes figures/*.svg (Vega-Lite heat maps rendered without a browser), tables/*.md and *.tex, and index.html, readable offline. Prints the headline first (also at the top of index.html and as `headline` in --json): the encoder (from the runs' manifests) and its quality gates, STL vs MTL over all tasks per task, heads kept by pruning (with the gates each run left undecided), head sharing against a permutation null (stem cells: heads claimed by every task), probe macro averages, and a verdict on each of the paper's three claims with its interval or test (INCONCLUSIVE inside the noise, NOT TESTED below a task's learning floor or without decided gates).";
  static override strict = false;
  static override examples = [
    '<%= config.bin %> report runs/ probes/ --out report',
    '<%= config.bin %> report runs/pos-stl-s1 runs/pos-stl-s1/analyses/probe/probe-pos.json --out report --json',
  ];
  static override args = {
    paths: Args.string({
      required: true,
      description: 'Run or study directories, or result files (several allowed).',
    }),
  };
  static override flags = {
    out: Flags.string({
      required: true,
      description: 'Folder to write index.html, figures/ and tables/ into.',
    }),
  };

  async run(): Promise<
    ReportFiles & {
      runs: number;
      probes: number;
      gates: number;
      overlaps: number;
      problems: string[];
    }
  > {
    const { argv, flags } = await this.parse(Report);
    const { files, study, headline } = await renderReport(argv as string[], {
      out: flags.out,
      warn: (problem) => this.reportWarning(problem),
    });
    this.progress(`wrote ${files.index}`);
    if (!this.jsonEnabled()) {
      for (const line of formatHeadline(headline)) this.log(line);
      this.log('');
      this.log(
        `${files.index}: ${files.figures.length} heat maps, ${files.tables.length / 2} tables`,
      );
    }
    return {
      ...files,
      runs: study.runs.length,
      probes: study.probes.length,
      gates: study.gates.length,
      overlaps: study.overlaps.length,
      problems: study.problems,
    };
  }
}
