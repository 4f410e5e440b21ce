import { loadExperimentConfig, trainRun, type TrainingResult } from '@stem/core';
import { StemCommand } from '../base-command.js';
import { trainingRunFlags } from '../run/run-flags.js';
import { formatScores } from '../run/format-scores.js';

export default class Train extends StemCommand<typeof Train> {
  static override summary =
    'Train an experiment (one task: STL, several: MTL) from a config file, or resume an interrupted run.';
  static override description =
    "Creates a run directory (manifest, metrics.ndjson, checkpoints/last and best, labels.json, results.json) under output.directory, trains with the config's trainer settings, reloads the best dev checkpoint and scores it on dev and test. Progress goes to stderr.";
  static override examples = [
    '<%= config.bin %> train -c examples/pos-ewt-tiny.yaml',
    '<%= config.bin %> train -c examples/pos-ewt-tiny.yaml --set trainer.epochs=1 --set seed=3',
    '<%= config.bin %> train --resume runs/pos-ewt-tiny-20261126-101500-s42',
  ];
  static override flags = trainingRunFlags();

  async run(): Promise<{ runDirectory: string } & TrainingResult> {
    const { config: file, resume, set } = this.flags;
    const { session, environment } = await this.openTrainingRun({ config: file, resume, set });
    const source = file
      ? {
          config: await loadExperimentConfig(file, session.registry, {
            overrides: set,
            checkPaths: true,
          }),
        }
      : { resumeFrom: resume as string };
    const { directory, result } = await trainRun(environment, source);
    if (!this.jsonEnabled()) {
      this.log(`run: ${directory}`);
      this.log(
        `best epoch: ${result.best?.epoch ?? '-'} (dev mean ${result.best ? result.best.score.toFixed(4) : '-'})`,
      );
      this.log(formatScores('dev', result.dev));
      if (result.test) this.log(formatScores('test', result.test));
      if (result.testNotAvailable)
        this.log(
          `test: not available for ${result.testNotAvailable.join(', ')} (no test sentences)`,
        );
    }
    return { runDirectory: directory, ...result };
  }
}
