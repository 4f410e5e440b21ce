import { Args, Flags } from '@oclif/core';
import { compareHeadSet, perHeadConflict, type HeadSetComparison } from '@stem/analyzer-conflict';
import { SeededRandom, StemError } from '@stem/core';
import { StemCommand } from '../../base-command.js';
import { readConflictSource } from '../../conflict/conflict-sources.js';
import { formatComparison } from '../../conflict/format-conflict.js';
import { readOverlapHeadSet } from '../../conflict/overlap-head-set.js';

export default class ConflictCompare extends StemCommand<typeof ConflictCompare> {
  static override summary =
    'Mean gradient conflict of a head set from a pruning overlap (stem cells, or heads kept by at least k tasks) against the other heads, with a seeded permutation test.';
  static override description =
    "The per-head value is averaged over the source's measurements (a run's analyses/conflict/update-*.json, or one posthoc json of stem conflict): conflict (fraction of tasks against the summed gradient) or cosine (mean cosine over task pairs). The p-value is two-sided: how often a random head set of the same size differs at least as much.";
  static override examples = [
    '<%= config.bin %> conflict compare runs/mtl5-s1 --overlap overlap/overlap.json',
    '<%= config.bin %> conflict compare runs/mtl5-s1/analyses/conflict/posthoc-best.json --overlap overlap/overlap.json --min-tasks 3 --statistic cosine --json',
  ];
  static override args = {
    source: Args.string({
      required: true,
      description: 'A run directory with in-training measurements, or a posthoc-<checkpoint>.json.',
    }),
  };
  static override flags = {
    overlap: Flags.string({
      required: true,
      description: 'overlap.json written by stem analyze overlap.',
    }),
    'min-tasks': Flags.integer({
      min: 1,
      exclusive: ['stem-cells'],
      description: 'The set: heads claimed by at least this many tasks.',
    }),
    'stem-cells': Flags.boolean({
      exclusive: ['min-tasks'],
      description: 'The set: stem cells, heads claimed by every task (the default).',
    }),
    statistic: Flags.string({
      options: ['conflict', 'cosine'],
      default: 'conflict',
      description: 'Per-head value compared.',
    }),
    permutations: Flags.integer({ min: 1, default: 10000, description: 'Random head sets drawn.' }),
    seed: Flags.integer({ default: 1, description: 'Seed of the permutation draws.' }),
  };

  async run(): Promise<
    HeadSetComparison & { statistic: string; headSet: string; measurements: number }
  > {
    const { args, flags } = await this.parse(ConflictCompare);
    const headSet = await readOverlapHeadSet(
      flags.overlap,
      flags['min-tasks'] === undefined
        ? { kind: 'stem-cells' }
        : { kind: 'min-tasks', tasks: flags['min-tasks'] },
    );
    const measurements = await readConflictSource(args.source);
    const cosine = flags.statistic === 'cosine';
    // perHeadConflict's "disagreement" is minus the mean cosine: turned back into the cosine.
    const values = perHeadConflict(measurements, cosine ? 'disagreement' : 'conflict').map((row) =>
      row.map((value) => (cosine ? -value : value)),
    );
    let comparison: HeadSetComparison;
    try {
      comparison = compareHeadSet(values, headSet.inSet, {
        permutations: flags.permutations,
        random: new SeededRandom(flags.seed),
      });
    } catch (error) {
      throw new StemError(
        `${args.source} vs ${flags.overlap}: ${(error as Error).message}`,
        'compare a conflict measurement and an overlap of the same encoder, with heads both inside and outside the set',
        'INPUT_INVALID',
      );
    }
    if (!this.jsonEnabled())
      this.log(formatComparison(flags.statistic, headSet.description, comparison));
    return {
      statistic: flags.statistic,
      headSet: headSet.description,
      measurements: measurements.length,
      ...comparison,
    };
  }
}
