import { join } from 'node:path';
import type { DependencyContainer } from 'tsyringe';
import type { Sentence } from '../contracts/annotations.js';
import { SPLITS } from '../contracts/annotations.js';
import type { ExperimentConfig } from '../config/experiment-schema.js';
import { ComponentFactory } from '../di/component-factory.js';
import { StemError } from '../errors.js';
import { writeJsonAtomic } from './atomic-write.js';
import type { BuiltExperiment } from './experiment.js';
import type { RunDirectory } from './run-directory.js';

/**
 * Runs the config's `analyzers` on a trained model (the trainer leaves the best checkpoint's
 * weights loaded), each into `analyses/<name>/` with its result as `result.json`. Sentences
 * are keyed `<task>/<split>` for every task of the run. Returns the result files by name.
 */
export async function runAnalyzers(
  container: DependencyContainer,
  config: ExperimentConfig,
  built: BuiltExperiment,
  run: RunDirectory,
  log: (message: string) => void,
): Promise<Record<string, string>> {
  const entries = Object.entries(config.analyzers ?? {});
  if (entries.length === 0) return {};
  const factory = container.resolve(ComponentFactory);
  const sentences = new Map<string, readonly Sentence[]>();
  for (const task of built.tasks)
    for (const split of SPLITS) {
      const list = task[split];
      if (list) sentences.set(`${task.name}/${split}`, list);
    }
  const heads = new Map(built.tasks.map((task) => [task.name, task.head]));
  const files: Record<string, string> = {};
  for (const [name, analyzerConfig] of entries) {
    const outputDirectory = join(run.root, 'analyses', name);
    log(`analyzer ${name} (${analyzerConfig.type})`);
    try {
      const analyzer = await factory.analyzer(analyzerConfig, `analyzers.${name}`);
      const result = await analyzer.analyze({
        encoder: built.encoder,
        heads,
        sentences,
        outputDirectory,
        progress: log,
      });
      files[name] = join(outputDirectory, 'result.json');
      await writeJsonAtomic(files[name], result ?? null);
    } catch (error) {
      throw new StemError(
        `analyzers.${name} (${analyzerConfig.type}): ${(error as Error).message}`,
        'the model is trained and saved; fix the analyzer settings and run the analysis on the run directory (e.g. stem probe <run>)',
        'ANALYZER_FAILED',
      );
    }
  }
  return files;
}
