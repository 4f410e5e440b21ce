import { join } from 'node:path';
import { Flags } from '@oclif/core';
import {
  StemError,
  exportModelDirectory,
  loadExperimentConfig,
  trainRun,
  type ExperimentConfig,
  type TrainingResult,
} from '@stem/core';
import { StemCommand } from '../base-command.js';
import { trainingRunFlags } from '../run/run-flags.js';
import { formatScores } from '../run/format-scores.js';

/** The masked-LM task a pretraining config trains (`@stem/task-mlm`). */
const MLM_TASK_ID = 'stem.task.mlm.v1';

export interface PretrainResult extends TrainingResult {
  runDirectory: string;
  /** The Hugging Face directory of the trained encoder (`encoder.path` loads it). */
  encoderDirectory: string;
  /** Head tensors saved beside the encoder's (`cls.predictions.*`). */
  headTensors: string[];
}

export default class Pretrain extends StemCommand<typeof Pretrain> {
  static override summary =
    'Pretrain an encoder with masked-language modelling on raw text, then save it as a Hugging Face model directory.';
  static override description =
    "Runs the trainer of `stem train` (progress, checkpoints, exact resume, manifest) on a config whose tasks include stem.task.mlm.v1, then writes <run>/encoder/ (config.json, model.safetensors with the encoder and the masked-LM head as cls.predictions.*, tokenizer files) from the best dev checkpoint; `encoder.path` loads it like any Hugging Face directory. The encoder's word dropout must be 0: masked-LM masks its input itself.";
  static override examples = [
    '<%= config.bin %> pretrain -c examples/stem-mini.yaml',
    '<%= config.bin %> pretrain -c examples/stem-mini.yaml --dtype float16',
    '<%= config.bin %> pretrain --resume runs/stem-mini-20261127-101500-s42',
  ];
  static override flags = {
    ...trainingRunFlags({
      config: 'Experiment config (YAML or JSON) with a stem.task.mlm.v1 task.',
    }),
    dtype: Flags.string({
      description: 'Storage type of the saved model.safetensors (float16 halves its size).',
      options: ['float32', 'float16'],
      default: 'float32',
    }),
  };

  async run(): Promise<PretrainResult> {
    const { config: file, resume, set, dtype } = this.flags;
    const { session, environment } = await this.openTrainingRun({ config: file, resume, set });
    let source: { config: ExperimentConfig } | { resumeFrom: string };
    if (file) {
      const config = await loadExperimentConfig(file, session.registry, {
        overrides: set,
        checkPaths: true,
      });
      checkPretrainingConfig(config, file);
      source = { config };
    } else source = { resumeFrom: resume as string };
    let exported = { directory: '', headTensors: [] as string[] };
    const { directory, result } = await trainRun(environment, source, {
      afterTraining: async (built, run) => {
        this.progress('saving the encoder as a Hugging Face directory');
        exported = await exportModelDirectory(built, join(run.root, 'encoder'), {
          dtype: dtype as 'float32' | 'float16',
        });
      },
    });
    if (!this.jsonEnabled()) {
      this.log(`run: ${directory}`);
      this.log(`encoder: ${exported.directory}`);
      this.log(formatScores('dev', result.dev));
      if (result.test) this.log(formatScores('test', result.test));
    }
    return {
      runDirectory: directory,
      encoderDirectory: exported.directory,
      headTensors: exported.headTensors,
      ...result,
    };
  }
}

/** A pretraining config trains a masked-LM task, on an encoder whose word dropout is off. */
function checkPretrainingConfig(config: ExperimentConfig, file: string): void {
  if (!Object.values(config.tasks).some((task) => task.type === MLM_TASK_ID))
    throw new StemError(
      `${file}: no task of type ${MLM_TASK_ID}; stem pretrain trains a masked-language model`,
      `add a task such as { type: ${MLM_TASK_ID}, dataset: { type: stem.dataset.pretraining-en.v1, path: <folder> } }, or use stem train`,
    );
  const wordDropout = (config.encoder as { wordDropout?: unknown }).wordDropout;
  if (typeof wordDropout === 'number' && wordDropout > 0)
    throw new StemError(
      `${file}: encoder.wordDropout is ${wordDropout}; masked-LM pretraining masks its input itself`,
      'set encoder.wordDropout: 0 in the config (or --set encoder.wordDropout=0)',
    );
}
