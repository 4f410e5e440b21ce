import { Flags } from '@oclif/core';
import {
  DEFAULT_SHARING_DRAWS,
  overlapOfRuns,
  type NullSummary,
  type OverlapResult,
  type SeedCoupling,
  type SharingTestResult,
} from '@stem/analyzer-pruning';
import { SeededRandom, StemError } from '@stem/core';
import { StemCommand } from '../../base-command.js';

export default class AnalyzeOverlap extends StemCommand<typeof AnalyzeOverlap> {
  static override summary =
    'Compare pruning runs: which heads each task claims, and whether tasks claim the same ones (stem cells).';
  static override description =
    'Reads <run>/pruning/gates.json of each run (made by stem prune) and writes, under --output: overlap.json (per task the runs as an RGB map with channel k = 1 - gate of run k, mean gates, kept fractions per task and layer; the mean gate over every run of every task; heads claimed by every task (a task claims a head it keeps in at least half its runs); a seeded permutation test of whether tasks claim the same heads more than chance (single-task runs, --draws per null, --seed); the same-seed vs different-seed gate correlation between tasks; the Pearson r table between tasks\' mean gate vectors, diagonal = sqrt(adjusted R^2) of the last run regressed on the others, or Pearson r when a task has two runs) and SVG maps: rgb-<task>.svg, mean-gates.svg, correlation.svg. Runs are grouped by their tasks (an MTL run by its tasks joined with "+"), in the order given. Runs whose final gates are not all 0 or 1 are left out (listed in excludedUndecided) unless --include-undecided.';
  static override examples = [
    '<%= config.bin %> analyze overlap runs/prune-pos-s1 runs/prune-pos-s2 runs/prune-pos-s3 -o analyses/overlap',
    '<%= config.bin %> analyze overlap runs/prune-* --json',
    '<%= config.bin %> analyze overlap studies/quick/pruning/stl-dp-* --include-undecided --draws 20000 --seed 2',
  ];
  static override strict = false;
  static override flags = {
    output: Flags.string({
      char: 'o',
      description: 'Directory for overlap.json and the SVG maps.',
      default: 'overlap',
    }),
    'include-undecided': Flags.boolean({
      description:
        'Count runs whose final gates are not all 0 or 1 (left out by default: their kept heads include heads training had not decided).',
      default: false,
    }),
    draws: Flags.integer({
      description: 'Permutation draws per null hypothesis of the sharing test.',
      default: DEFAULT_SHARING_DRAWS,
      min: 1000,
    }),
    seed: Flags.integer({
      description: "Seed of the sharing test's permutations (stream overlap/sharing).",
      default: 1,
    }),
  };

  async run(): Promise<{ files: string[] } & OverlapResult> {
    const { argv } = await this.parse(AnalyzeOverlap);
    const runs = (argv as string[]).filter((a) => !a.startsWith('-'));
    if (runs.length === 0)
      throw new StemError('no run directory given', 'stem analyze overlap <run-dir> <run-dir>...');
    let analysis: Awaited<ReturnType<typeof overlapOfRuns>>;
    try {
      analysis = await overlapOfRuns(runs, this.flags.output, {
        includeUndecided: this.flags['include-undecided'],
        random: new SeededRandom(this.flags.seed).fork('overlap/sharing'),
        draws: this.flags.draws,
        seed: this.flags.seed,
      });
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
      if (tasks.length > 0)
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
      if (result.sharing) for (const line of sharingLines(result.sharing)) this.log(line);
      this.log(seedCouplingLine(result.seedCoupling));
      for (const run of result.excludedUndecided)
        this.log(`left out (undecided gates): ${run.source} (${run.undecidedGates})`);
      for (const note of result.notes) this.log(`note: ${note}`);
      this.log(`wrote ${files.join(', ')}`);
    }
    return { ...result, files };
  }
}

/** The sharing test as a table: observed, then per null its mean, 95% interval and p. */
function sharingLines(sharing: SharingTestResult): string[] {
  const nulls: Array<[string, (s: SharingTestResult['statistics'][number]) => NullSummary]> = [
    ['runs uniform', (s) => s.uniform],
    ['runs in layer', (s) => s.withinLayer],
    ['claims uniform', (s) => s.claimsUniform],
    ['claims in layer', (s) => s.claimsWithinLayer],
  ];
  const value = (v: number) => (Number.isInteger(v) ? String(v) : v.toFixed(3));
  const cell = (n: NullSummary) =>
    `${n.mean.toFixed(2)} [${value(n.low)}, ${value(n.high)}] p>=${n.pAbove.toFixed(4)} p<=${n.pBelow.toFixed(4)}`;
  const idWidth = Math.max(...sharing.statistics.map((s) => s.id.length)) + 2;
  const cellWidth = 44;
  return [
    `sharing test (${sharing.tasks.map((t) => `${t.task} ${t.runs} run(s), ${t.claimed} claimed`).join('; ')}), ${sharing.draws} draws per null, seed ${sharing.seed}`,
    `  ${sharing.definition}`,
    `  each null: mean [2.5%, 97.5%] p(null >= observed) p(null <= observed)`,
    [
      'statistic'.padEnd(idWidth),
      'observed'.padStart(9),
      '  ',
      ...nulls.map(([name]) => name.padEnd(cellWidth)),
    ].join(''),
    ...sharing.statistics.map((s) =>
      [
        s.id.padEnd(idWidth),
        value(s.observed).padStart(9),
        '  ',
        ...nulls.map(([, of]) => cell(of(s)).padEnd(cellWidth)),
      ]
        .join('')
        .trimEnd(),
    ),
    ...sharing.notes.map((note) => `note: ${note}`),
  ];
}

function seedCouplingLine(coupling: SeedCoupling): string {
  const group = (g: SeedCoupling['sameSeed']) =>
    `${g.meanR === null ? 'n/a' : g.meanR.toFixed(3)} (${g.pairs} pairs)`;
  return `seed coupling, mean r between runs of different tasks: same seed ${group(coupling.sameSeed)}, different seeds ${group(coupling.differentSeed)}`;
}
