import { Args, Flags } from '@oclif/core';
import { loadExperimentConfig } from '@stem/core';
import { StemCommand } from '../../base-command.js';

export default class ConfigValidate extends StemCommand<typeof ConfigValidate> {
  static override summary =
    'Validate an experiment config (YAML or JSON) against every registered component schema.';
  static override description =
    'Reads the file, applies --set overrides and ${...} interpolation, and validates the result. Problems name the field path, the line and what is expected; the exit code is non-zero when any is found.';
  static override examples = [
    '<%= config.bin %> config validate examples/pos-ewt-tiny.yaml',
    '<%= config.bin %> config validate run.yaml --set seed=7 --json',
  ];
  static override args = {
    file: Args.string({
      required: true,
      description: 'Experiment config file (.yaml, .yml or .json).',
    }),
  };
  static override flags = {
    set: Flags.string({
      description: 'Override a field: path.to.field=value (YAML value). Repeatable.',
      multiple: true,
      default: [],
    }),
  };

  async run(): Promise<{ file: string; valid: true; config: unknown }> {
    const { args } = await this.parse(ConfigValidate);
    const session = await this.session();
    const config = await loadExperimentConfig(args.file, session.registry, {
      overrides: this.flags.set,
      checkPaths: true,
    });
    if (!this.jsonEnabled()) this.log(`${args.file}: valid`);
    return { file: args.file, valid: true, config };
  }
}
