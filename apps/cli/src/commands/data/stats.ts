import { Args, Flags } from '@oclif/core';
import { SeededRandom, StemError } from '@stem/core';
import { corpusStats, findCorpus, type CorpusReader, type CorpusStats } from '@stem/data';
import { StemCommand } from '../../base-command.js';
import { withDataErrors } from '../../data-errors.js';

export default class DataStats extends StemCommand<typeof DataStats> {
  static override summary =
    'Sentences and tokens per split, label inventories with counts, and the build report of a dataset.';
  static override examples = [
    '<%= config.bin %> data stats ud-ewt',
    '<%= config.bin %> data stats stem.dataset.ewt-5.v1 --json',
    '<%= config.bin %> data stats conll2012 --path ~/ontonotes/conll-2012/v4/data',
  ];
  static override args = {
    dataset: Args.string({
      required: true,
      description: 'Short name (ud-ewt) or registered id (stem.dataset.ud-ewt.v1).',
    }),
  };
  static override flags = {
    path: Flags.string({
      description: "Read from this folder instead of the dataset's default location.",
    }),
    'top-labels': Flags.integer({
      description: 'Labels shown per layer in the human output (all are in --json).',
      default: 20,
    }),
  };

  async run(): Promise<CorpusStats & { id: string }> {
    const { args, flags } = await this.parse(DataStats);
    const session = await this.session();
    const id = findCorpus(args.dataset)?.id ?? args.dataset;
    const component = session.registry.get('dataset', id);
    if (!component) {
      const known = session.registry.list('dataset').map((c) => c.registration.id);
      throw new StemError(
        `unknown dataset ${args.dataset}`,
        `Known datasets: ${known.join(', ')} (see stem data list).`,
        'UNKNOWN_DATASET',
      );
    }
    const parsed = component.schema.safeParse({
      type: id,
      ...(flags.path ? { path: flags.path } : {}),
    });
    if (!parsed.success)
      throw new StemError(
        `dataset ${id} needs settings: ${parsed.error.message}`,
        'Pass --path or configure it in an experiment file.',
        'CONFIG_INVALID',
      );
    const stats: CorpusStats = await withDataErrors(async () => {
      const reader = await component.registration.create(parsed.data, {
        tf: session.tf,
        random: new SeededRandom(0),
        container: session.container,
      });
      const corpus: CorpusReader =
        'location' in reader
          ? (reader as CorpusReader)
          : {
              ...reader,
              layers: reader.layers,
              read: (s) => reader.read(s),
              location: flags.path ?? '',
            };
      return corpusStats(corpus, (split) => this.progress(`reading ${id} ${split}`));
    });
    if (!this.jsonEnabled()) this.log(formatStats(id, stats, flags['top-labels']));
    return { id, ...stats };
  }
}

function formatStats(id: string, stats: CorpusStats, top: number): string {
  const lines = [`${id} (${stats.location})`, `layers: ${stats.layers.join(', ')}`];
  for (const [split, n] of Object.entries(stats.splits))
    lines.push(
      `  ${split.padEnd(5)} ${String(n.sentences).padStart(7)} sentences ${String(n.tokens).padStart(9)} tokens`,
    );
  if (stats.predicates !== undefined) lines.push(`SRL predicates: ${stats.predicates}`);
  for (const [layer, counts] of Object.entries(stats.labels)) {
    const entries = Object.entries(counts);
    const shown = entries.slice(0, top).map(([label, n]) => `${label} ${n}`);
    lines.push(
      `${layer} (${entries.length} labels): ${shown.join(', ')}${entries.length > top ? ', ...' : ''}`,
    );
  }
  const skipped = stats.report?.['skippedLines'] as
    Record<string, { multiwordTokens: number; emptyNodes: number }> | undefined;
  if (skipped) {
    const parts = Object.entries(skipped).map(
      ([split, n]) =>
        `${split} ${n.multiwordTokens} multi-word tokens, ${n.emptyNodes} empty nodes`,
    );
    lines.push(`set aside (not words): ${parts.join('; ')}`);
  }
  const alignment = stats.report?.['alignment'] as
    | { alignedSentences: number; skeletonSentences: number; rate: number; unaligned: unknown[] }
    | undefined;
  if (alignment) {
    lines.push(
      `alignment: ${alignment.alignedSentences} of ${alignment.skeletonSentences} sentences (${(100 * alignment.rate).toFixed(2)}%), ${alignment.unaligned.length} left out (ids in --json)`,
    );
  }
  return lines.join('\n');
}
