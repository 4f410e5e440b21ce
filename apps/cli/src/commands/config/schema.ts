import { Flags } from '@oclif/core';
import { experimentJsonSchema, writeJsonAtomic } from '@stem/core';
import { StemCommand } from '../../base-command.js';

export default class ConfigSchema extends StemCommand<typeof ConfigSchema> {
  static override summary =
    'Print the JSON Schema of experiment configs (for editor completion via "$schema").';
  static override description =
    'The schema covers every component registered by the installed plugins, so it changes when plugins are added or removed.';
  static override examples = [
    '<%= config.bin %> config schema > stem.schema.json',
    '<%= config.bin %> config schema --out stem.schema.json',
  ];
  static override flags = {
    out: Flags.string({
      char: 'o',
      description: 'Write the schema to this file (atomically) instead of stdout.',
    }),
  };

  async run(): Promise<Record<string, unknown>> {
    const session = await this.session();
    const schema = experimentJsonSchema(session.registry);
    if (this.flags.out) {
      await writeJsonAtomic(this.flags.out, schema);
      this.progress(`wrote ${this.flags.out}`);
    } else if (!this.jsonEnabled()) {
      this.log(JSON.stringify(schema, null, 2));
    }
    return schema;
  }
}
