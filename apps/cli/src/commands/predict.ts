import { Args, Flags } from '@oclif/core';
import {
  RunDirectory,
  StemError,
  predictRun,
  readTextInput,
  writeFileAtomic,
  type Sentence,
} from '@stem/core';
import { StemCommand } from '../base-command.js';
import { deviceOfRun } from '../run/config-device.js';
import { readPredictionInput } from '../run/prediction-io.js';
import {
  chooseFormats,
  groupOutputs,
  outputFileOf,
  predictingTasks,
  writeGroup,
} from '../run/prediction-output.js';
import { runEnvironment } from '../run/run-environment.js';

export default class Predict extends StemCommand<typeof Predict> {
  static override summary =
    "Run a trained run's tasks on new sentences and write each task's predictions in a format its plugin declares.";
  static override description =
    "Input: a .conllu file or a text file with one tokenised sentence per line. Each task's plugin declares its output formats, the first the default: POS and DEP CoNLL-U (XPOS/UPOS, HEAD/DEPREL; a CoNLL-U input is kept byte for byte except the predicted columns, and a missing blank line after its last sentence is added), NER two-column BIO (IOB2) or CoNLL-U with NER=<tag> in MISC, CON PTB trees one per line (EVALB input), SRL CoNLL-2005 props columns (srl-eval.pl input); `stem info --json` lists them. Tasks whose formats are the same CoNLL-U go into one file; when a run writes several files, --output is their prefix: <output>.<task>.<extension>. Written atomically, or to stdout when the run writes one file.";
  static override examples = [
    '<%= config.bin %> predict runs/pos-ewt-tiny-20261126-101500-s42 --input sentences.txt',
    '<%= config.bin %> predict runs/my-run --input test.conllu --output predicted.conllu',
    '<%= config.bin %> predict runs/ner-run --input test.conllu --format conllu --output predicted.conllu',
    '<%= config.bin %> predict runs/mtl-run --input test.conllu --format ner=bio --output predicted',
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
    output: Flags.string({
      char: 'o',
      description:
        'Write the output here instead of stdout; the prefix of the files when the run writes several.',
    }),
    format: Flags.string({
      multiple: true,
      description:
        "Output format declared by the run's task plugins: <name> for every task that declares it, or <task>=<name>; default each task's first format.",
    }),
  };

  async run(): Promise<{
    runDirectory: string;
    sentences: number;
    output: string | null;
    outputs: Array<{ tasks: string[]; format: string; file: string | null }>;
    predictions?: Sentence[];
  }> {
    const { args } = await this.parse(Predict);
    // Binary, non-UTF-8 and empty inputs are refused before anything is loaded.
    await readTextInput(this.flags.input, 'prediction input');
    const { sentences, input } = await readPredictionInput(this.flags.input);
    if (sentences.length === 0) {
      throw new StemError(
        `${this.flags.input}: prediction input holds no sentences`,
        'pass a .conllu file or a text file with one tokenised sentence per line',
        'INPUT_INVALID',
      );
    }
    const session = await this.session(await deviceOfRun(args.run));
    const manifest = await new RunDirectory(args.run).readManifest();
    const tasks = predictingTasks(
      session.registry,
      (manifest.config as { tasks: Record<string, { type: string }> }).tasks,
    );
    const groups = groupOutputs(chooseFormats(tasks, this.flags.format ?? []));
    const output = this.flags.output;
    if (groups.length > 1 && !output && !this.jsonEnabled())
      throw new StemError(
        `run ${args.run} writes ${groups.length} files (${groups.map((g) => g.tasks.map((t) => t.task.name).join('+') + ': ' + g.format.name).join('; ')})`,
        'pass --output <prefix>: each goes to <prefix>.<task>.<extension>',
        'USAGE',
      );
    this.progress(`predicting ${sentences.length} sentences`);
    const predicted = await predictRun(
      runEnvironment(this.config, session, {}),
      args.run,
      sentences,
    );
    const outputs = [];
    for (const group of groups) {
      const text = writeGroup(group, predicted, input);
      const file = output ? outputFileOf(output, group, groups.length) : null;
      if (file) {
        await writeFileAtomic(file, text);
        this.progress(`wrote ${file}`);
      } else if (!this.jsonEnabled()) {
        process.stdout.write(text);
      }
      outputs.push({ tasks: group.tasks.map((t) => t.task.name), format: group.format.name, file });
    }
    return {
      runDirectory: args.run,
      sentences: predicted.length,
      output: output ?? null,
      outputs,
      ...(output ? {} : { predictions: predicted }),
    };
  }
}
