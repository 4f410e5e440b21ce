import { existsSync } from 'node:fs';
import { CORPORA } from '@stem/data';
import { StemCommand } from '../../base-command.js';

export interface DataListEntry {
  id: string;
  /** Short name accepted by `stem data stats` and `stem data build`, when the corpus is stem's own. */
  name?: string;
  description: string;
  plugin: string;
  buildable: boolean;
  /** Where it is read from without a `path` in the config. */
  location?: string;
  /** Whether that location exists (a built corpus, or bundled data). */
  available?: boolean;
}

export default class DataList extends StemCommand<typeof DataList> {
  static override summary =
    'List the registered datasets, where each is read from and whether it is there.';
  static override examples = ['<%= config.bin %> data list', '<%= config.bin %> data list --json'];

  async run(): Promise<{ datasets: DataListEntry[] }> {
    const session = await this.session();
    const datasets = session.registry.list('dataset').map((component): DataListEntry => {
      const corpus = CORPORA.find((c) => c.id === component.registration.id);
      const location = corpus?.defaultLocation?.();
      return {
        id: component.registration.id,
        ...(corpus ? { name: corpus.name } : {}),
        description: component.registration.description,
        plugin: `${component.provider.name}@${component.provider.version}`,
        buildable: corpus?.buildable ?? false,
        ...(location ? { location, available: existsSync(location) } : {}),
      };
    });
    if (!this.jsonEnabled()) {
      const width = Math.max(0, ...datasets.map((d) => (d.name ?? d.id).length));
      for (const d of datasets) {
        const state =
          d.location === undefined
            ? ''
            : d.available
              ? `  [ready: ${d.location}]`
              : `  [missing: ${d.location}${d.buildable ? `; run stem data build ${d.name}` : ''}]`;
        this.log(
          `${(d.name ?? d.id).padEnd(width)}  ${d.id}${state}\n${' '.repeat(width + 2)}${d.description}`,
        );
      }
    }
    return { datasets };
  }
}
