import { Args, Flags } from '@oclif/core';
import { evaluateRun, type MetricResult } from '@stem/core';
import { StemCommand } from '../base-command.js';
import { deviceOfRun } from '../run/config-device.js';
import { formatScores } from '../run/format-scores.js';
import { runEnvironment } from '../run/run-environment.js';

export default class Evaluate extends StemCommand<typeof Evaluate> {
  static override summary = "Score a run's best checkpoint on a split of its datasets.";
  static override examples = [
    '<%= config.bin %> evaluate runs/pos-ewt-tiny-20261126-101500-s42',
    '<%= config.bin %> evaluate runs/my-run --split dev --json',
  ];
  static override args = {
    run: Args.string({ required: true, description: 'Run directory made by stem train.' }),
  };
  static override flags = {
    split: Flags.string({
      options: ['dev', 'test'],
      default: 'test',
      description: 'Split to score.',
    }),
  };

  async run(): Promise<{
    runDirectory: string;
    split: string;
    scores: Record<string, MetricResult>;
  }> {
    const { args } = await this.parse(Evaluate);
    const session = await this.session(await deviceOfRun(args.run));
    const split = this.flags.split as 'dev' | 'test';
    const scores = await evaluateRun(runEnvironment(this.config, session, {}), args.run, split);
    if (!this.jsonEnabled()) this.log(formatScores(split, scores));
    return { runDirectory: args.run, split, scores };
  }
}
