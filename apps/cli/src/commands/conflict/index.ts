import { Args, Flags } from '@oclif/core';
import { RunDirectory } from '@stem/core';
import { StemCommand } from '../../base-command.js';
import { formatMeasurement } from '../../conflict/format-conflict.js';
import {
  measureCheckpoint,
  requireMultiTaskRun,
  type CheckpointName,
  type PostHocMeasurement,
} from '../../conflict/post-hoc-measurement.js';
import { deviceOfRun } from '../../run/config-device.js';

export default class Conflict extends StemCommand<typeof Conflict> {
  static override summary =
    'Per-head gradient agreement between the tasks of a finished MTL run, measured post hoc on its checkpoints.';
  static override description =
    "Loads the run at a checkpoint, takes each task's gradient on a fixed probe batch of its training sentences (no update) and compares them per attention head: cosine of every task pair, conflict (fraction of tasks against the summed gradient), norms. By default the probe batches and settings are the ones the run's own gradient-conflict meter had, so a checkpoint's numbers equal the run's in-training measurement at that update. Writes <run>/analyses/conflict/posthoc-<checkpoint>.json.";
  static override examples = [
    '<%= config.bin %> conflict runs/mtl5-20261126-101500-s1',
    '<%= config.bin %> conflict runs/mtl5-20261126-101500-s1 --checkpoint all --probe-sentences 64 --seed 7 --json',
  ];
  static override args = {
    run: Args.string({
      required: true,
      description: 'Multi-task run directory made by stem train.',
    }),
  };
  static override flags = {
    checkpoint: Flags.string({
      options: ['best', 'last', 'all'],
      default: 'best',
      description: 'Checkpoint to measure (all: every saved checkpoint, best and last).',
    }),
    'every-checkpoint': Flags.boolean({
      default: false,
      description: 'Same as --checkpoint all.',
    }),
    'probe-sentences': Flags.integer({
      min: 1,
      description: "Sentences per task's probe batch (default: the run's meter setting, else 32).",
    }),
    seed: Flags.integer({
      description: "Draw the probe batches from this seed instead of the run's meter stream.",
    }),
    out: Flags.string({
      description: 'Folder for posthoc-<checkpoint>.json (default: <run>/analyses/conflict).',
    }),
  };

  async run(): Promise<{
    runDirectory: string;
    measurements: Array<{ file: string; measurement: PostHocMeasurement }>;
  }> {
    const { args, flags } = await this.parse(Conflict);
    await requireMultiTaskRun(args.run);
    const checkpoints: CheckpointName[] =
      flags['every-checkpoint'] || flags.checkpoint === 'all'
        ? ['best', 'last']
        : [flags.checkpoint as CheckpointName];
    const session = await this.session(await deviceOfRun(args.run));
    const outputDirectory = flags.out ?? new RunDirectory(args.run).analysis('conflict');
    const measurements = [];
    for (const checkpoint of checkpoints) {
      this.progress(`measuring the ${checkpoint} checkpoint of ${args.run}`);
      const measured = await measureCheckpoint(
        { container: session.container },
        {
          runDirectory: args.run,
          checkpoint,
          outputDirectory,
          ...(flags['probe-sentences'] === undefined
            ? {}
            : { probeSentences: flags['probe-sentences'] }),
          ...(flags.seed === undefined ? {} : { seed: flags.seed }),
        },
      );
      this.progress(`wrote ${measured.file}`);
      if (!this.jsonEnabled()) this.log(formatMeasurement(checkpoint, measured.measurement));
      measurements.push(measured);
    }
    return { runDirectory: new RunDirectory(args.run).root, measurements };
  }
}
