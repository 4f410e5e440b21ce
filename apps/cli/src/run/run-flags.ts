import { Flags } from '@oclif/core';

/**
 * `-c/--config`, `--set` and `--resume`, shared by the commands that start or continue a
 * training run (train, prune, pretrain): exactly one of a config and a run directory.
 */
export function trainingRunFlags(descriptions: { config?: string; resume?: string } = {}) {
  return {
    config: Flags.string({
      char: 'c',
      description: descriptions.config ?? 'Experiment config (YAML or JSON).',
      exactlyOne: ['config', 'resume'],
    }),
    set: Flags.string({
      description: 'Override a config field: path.to.field=value. Repeatable.',
      multiple: true,
      default: [],
    }),
    resume: Flags.string({
      description:
        descriptions.resume ??
        'Continue the interrupted run in this run directory from its last checkpoint.',
      exactlyOne: ['config', 'resume'],
    }),
  };
}
