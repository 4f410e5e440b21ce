import { Args, Flags } from '@oclif/core';
import { predictRun, readTextInput, StemError, writeFileAtomic, type Sentence } from '@stem/core';
import { StemCommand } from '../base-command.js';
import { deviceOfRun } from '../run/config-device.js';
import { formatPredictions, formatTrees, readPredictionInput } from '../run/prediction-io.js';
import { runEnvironment } from '../run/run-environment.js';
import { formatSrlProps } from '../run/srl-props.js';

export default class Predict extends StemCommand<typeof Predict> {
  static override summary =
    "Run a trained run's tasks on new sentences and write CoNLL-U (or PTB trees).";
  static override description =
    'Input: a .conllu file or a text file with one tokenised sentence per line. Output: CoNLL-U with the predicted columns (XPOS/UPOS for POS, HEAD/DEPREL for DEP, MISC NER=<IOB2 tag> for NER), or with --format ptb the predicted constituency trees, one bracketed tree per line (EVALB input), or with --format props the CoNLL-2005 props columns of the predicted SRL frames (srl-eval.pl input); to --output (written atomically) or stdout.';
  static override examples = [
    '<%= config.bin %> predict runs/pos-ewt-tiny-20261126-101500-s42 --input sentences.txt',
    '<%= config.bin %> predict runs/my-run --input test.conllu --output predicted.conllu',
    '<%= config.bin %> predict runs/con-run --input test.conllu --format ptb --output predicted.tree',
    '<%= config.bin %> predict runs/srl-run --input test.conllu --format props --output predicted.props',
  ];
  static override args = {
    run: Args.string({ required: true, description: 'Run directory made by stem train.' }),
  };
  static override flags = {
    input: Flags.string({
      char: 'i',
      required: true,
      description: 'Sentences to tag: .conllu, or text with one tokenised sentence per line.',
    }),
    output: Flags.string({ char: 'o', description: 'Write the output here instead of stdout.' }),
    format: Flags.string({
      options: ['conllu', 'ptb', 'props'],
      default: 'conllu',
      description:
        'conllu: the input with predicted columns; ptb: predicted constituency trees, one per line; props: CoNLL-2005 props columns of the predicted SRL frames.',
    }),
  };

  async run(): Promise<{
    runDirectory: string;
    sentences: number;
    output: string | null;
    predictions?: Sentence[];
  }> {
    const { args } = await this.parse(Predict);
    // Binary, non-UTF-8 and empty inputs are refused before anything is loaded.
    await readTextInput(this.flags.input, 'prediction input');
    const session = await this.session(await deviceOfRun(args.run));
    const input = await readPredictionInput(this.flags.input);
    if (input.length === 0) {
      throw new StemError(
        `${this.flags.input}: prediction input holds no sentences`,
        'pass a .conllu file or a text file with one tokenised sentence per line',
        'INPUT_INVALID',
      );
    }
    this.progress(`predicting ${input.length} sentences`);
    const predicted = await predictRun(runEnvironment(this.config, session, {}), args.run, input);
    if (this.flags.format === 'props' && !predicted.some((s) => s.annotations.srl))
      throw new StemError(
        `run ${args.run} predicts no SRL frames, so there are no props columns to write`,
        'use --format conllu, or a run with an SRL task',
      );
    const text =
      this.flags.format === 'ptb'
        ? formatTrees(predicted)
        : this.flags.format === 'props'
          ? formatSrlProps(predicted)
          : formatPredictions(predicted);
    if (this.flags.output) {
      await writeFileAtomic(this.flags.output, text);
      this.progress(`wrote ${this.flags.output}`);
    } else if (!this.jsonEnabled()) {
      process.stdout.write(text);
    }
    return {
      runDirectory: args.run,
      sentences: predicted.length,
      output: this.flags.output ?? null,
      ...(this.flags.output ? {} : { predictions: predicted }),
    };
  }
}
