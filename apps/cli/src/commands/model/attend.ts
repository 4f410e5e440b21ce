import { Args, Flags } from '@oclif/core';
import type { WordAttentionView } from '@stem/encoder-transformer';
import { openAttentionModel, sentenceWords } from '../../attention/attention-model.js';
import { StemCommand } from '../../base-command.js';

export default class ModelAttend extends StemCommand<typeof ModelAttend> {
  static override summary = 'Print the word-level attention of every head for one sentence.';
  static override description =
    "The sentence is split on whitespace into words. Sub-word attention is pooled to words as the attention probes pool it: the mean over the query word's sub-words and the sum over the key word's sub-words. Unit 0 is <root> ([CLS]); the final [SEP] is left out, so rows sum to at most 1. Layers and heads count from 0.";
  static override examples = [
    '<%= config.bin %> model attend models/tiny-bert --text "The cat sat on the mat ." --json',
    '<%= config.bin %> model attend models/tiny-bert --text "The cat sat ." --layer 1 --head 2',
  ];
  static override args = {
    directory: Args.string({
      required: true,
      description: 'Hugging Face model directory, or a run directory (its best checkpoint).',
    }),
  };
  static override flags = {
    text: Flags.string({
      description: 'The sentence (words separated by spaces).',
      required: true,
    }),
    layer: Flags.integer({ description: 'Only this layer (from 0).', min: 0 }),
    head: Flags.integer({ description: 'Only this head (from 0).', min: 0 }),
  };

  async run(): Promise<WordAttentionView> {
    const { args, flags } = await this.parse(ModelAttend);
    const session = await this.session();
    const model = await openAttentionModel(session, args.directory);
    let view: WordAttentionView;
    try {
      view = await model.attend(sentenceWords(flags.text), {
        ...(flags.layer !== undefined ? { layer: flags.layer } : {}),
        ...(flags.head !== undefined ? { head: flags.head } : {}),
      });
    } finally {
      model.release();
    }
    if (!this.jsonEnabled()) this.log(formatView(view));
    return view;
  }
}

function formatView(view: WordAttentionView): string {
  const width = Math.max(6, ...view.units.map((u) => u.length));
  const lines: string[] = [`sub-words: ${view.subwords.join(' ')}`];
  for (const { layer, head, attention } of view.heads) {
    lines.push(
      '',
      `layer ${layer} head ${head}`,
      `${''.padEnd(width)} ${view.units.map((u) => u.padStart(width)).join(' ')}`,
    );
    attention.forEach((row, q) =>
      lines.push(
        `${(view.units[q] as string).padEnd(width)} ${row.map((v) => v.toFixed(3).padStart(width)).join(' ')}`,
      ),
    );
  }
  return lines.join('\n');
}
