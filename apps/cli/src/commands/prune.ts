import {
  HEAD_GATES_ID,
  undecidedGateCount,
  writePruningSummary,
  type HeadGatesReport,
  type PruningSummary,
  type TaskScores,
} from '@stem/analyzer-pruning';
import { StemError, loadExperimentConfig, trainRun, type TrainingResult } from '@stem/core';
import { gatesSectionOf, summarisePruningRun } from '@stem/study';
import { StemCommand } from '../base-command.js';
import { trainingRunFlags } from '../run/run-flags.js';
import { pruningOverrides } from '../run/pruning-defaults.js';

export default class Prune extends StemCommand<typeof Prune> {
  static override summary =
    'Prune attention heads: train with one hard-concrete gate per head (STL-DP with one task, MTL-DP with several, sharing one gate set).';
  static override description =
    "A normal training run (run directory, manifest, metrics.ndjson with the gates of every dev evaluation, resume) with the head gates of @stem/analyzer-pruning as a training component: the config's trainingComponents section holding them, or `pruning` with the paper's defaults when it has none (lambda per task; encoder learning rate 1e-5 and the paper's maximum epochs, 30 or 100 for NER and SRL, unless the config sets them); it trains at least until every gate is decided (0 or 1), then stops as usual when the dev score stops improving. At the end it writes <run>/pruning/gates.json: the best checkpoint's gates [layers x heads], the kept mask (gate > 1e-3), the fraction kept, and the task scores with the gates applied and with all heads open.";
  static override examples = [
    '<%= config.bin %> prune -c examples/prune-pos-tiny.yaml',
    '<%= config.bin %> prune -c examples/prune-pos-tiny.yaml --set seed=2 --set trainingComponents.pruning.lambda=0.02',
    '<%= config.bin %> prune --resume runs/prune-pos-tiny-20261127-101500-s42',
  ];
  static override flags = trainingRunFlags({
    resume: 'Continue the interrupted pruning run in this run directory.',
  });

  async run(): Promise<
    { runDirectory: string; pruning: PruningSummary; summaryFile: string } & TrainingResult
  > {
    const { config: file, resume, set } = this.flags;
    const { session, environment } = await this.openTrainingRun({ config: file, resume, set });
    if (!session.registry.get('training', HEAD_GATES_ID))
      throw new StemError(
        `the head gates (${HEAD_GATES_ID}) are not registered`,
        'install @stem/analyzer-pruning (stem plugins:add @stem/analyzer-pruning)',
      );
    const source = file
      ? {
          config: await loadExperimentConfig(file, session.registry, {
            overrides: [...(await pruningOverrides(file, set)), ...set],
            checkPaths: true,
          }),
        }
      : { resumeFrom: resume as string };
    if ('config' in source && source.config && !gatesSectionOf(source.config.trainingComponents))
      throw new StemError('the config has no head gates section', 'add trainingComponents.pruning');
    const { directory, result } = await trainRun(environment, source);
    this.progress('scoring the best checkpoint with the gates applied and with every head open');
    const pruning = await summarisePruningRun(environment, directory);
    const summaryFile = await writePruningSummary(directory, pruning);
    if (!this.jsonEnabled()) {
      this.log(`run: ${directory}`);
      this.log(
        `kept ${pruning.final.keptHeads} of ${pruning.final.totalHeads} heads (${(100 * pruning.final.keptFraction).toFixed(1)}%), lambda ${pruning.final.lambda} (${pruning.final.lambdaSource})`,
      );
      const undecided = pruning.final.undecidedGates ?? undecidedGateCount(pruning.final.gates);
      this.log(
        undecided === 0
          ? 'every gate decided (0 or 1)'
          : `${undecided} gate(s) still undecided (strictly between 0 and 1) after ${result.epochsTrained} epoch(s): raise trainer.epochs or the gates' learning rate; "kept" here is not final`,
      );
      this.log(gateMap(pruning.final));
      this.log(formatTaskScores('gated dev', pruning.scores.gated.dev, pruning.primary));
      this.log(formatTaskScores('open dev', pruning.scores.open.dev, pruning.primary));
      if (pruning.scores.gated.test)
        this.log(formatTaskScores('gated test', pruning.scores.gated.test, pruning.primary));
      if (pruning.scores.open.test)
        this.log(formatTaskScores('open test', pruning.scores.open.test, pruning.primary));
      this.log(`gates: ${summaryFile}`);
    }
    return { runDirectory: directory, ...result, pruning, summaryFile };
  }
}

/** `gated dev  pos accuracy 0.9412`: the primary score of each task. */
function formatTaskScores(
  label: string,
  scores: TaskScores,
  primary: Record<string, string>,
): string {
  return Object.entries(scores)
    .map(([task, s]) => {
      const key = primary[task] ?? Object.keys(s)[0] ?? '';
      const value = s[key];
      return `${label.padEnd(10)} ${task} ${key} ${value === undefined ? '-' : value.toFixed(4)}`;
    })
    .join('\n');
}

/** One line per layer: `#` a kept head, `.` a pruned one, with the layer's kept count. */
function gateMap(report: HeadGatesReport): string {
  return report.kept
    .map(
      (row, l) =>
        `layer ${String(l + 1).padStart(2)} ${row.map((k) => (k ? '#' : '.')).join('')} ${row.reduce((n, k) => n + k, 0)}/${row.length}`,
    )
    .join('\n');
}
