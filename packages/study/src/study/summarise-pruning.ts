import {
  evaluationsOf,
  HEAD_GATES_ID,
  type HeadGatesReport,
  type PruningSummary,
  type TaskScores,
} from '@stem/analyzer-pruning';
import {
  StemError,
  disposeExperiment,
  evaluateTasks,
  loadRun,
  type MetricResult,
  type RunEnvironment,
  type TensorFlow,
  TOKENS,
} from '@stem/core';

/** Name of the config's head gates section, if it has one. */
export function gatesSectionOf(
  components: Record<string, { type: string }> | undefined,
): string | undefined {
  return Object.entries(components ?? {}).find(([, c]) => c.type === HEAD_GATES_ID)?.[0];
}

/** Gates of the best checkpoint, scored with them applied and with all heads open. */
export async function summarisePruningRun(
  environment: RunEnvironment,
  directory: string,
): Promise<PruningSummary> {
  const { config, built } = await loadRun(environment, directory, { splits: ['dev', 'test'] });
  try {
    const name = gatesSectionOf(config.trainingComponents);
    const entry = built.components.find((c) => c.name === name);
    if (!name || !entry) throw new StemError(`${directory}: the run has no head gates section`);
    const tf = environment.container.resolve<TensorFlow>(TOKENS.tf);
    const limits = {
      maxSentences: config.trainer.maxSentencesPerBatch,
      maxSubwords: config.trainer.maxSubwordsPerBatch,
    };
    const primary: Record<string, string> = {};
    // As the trainer does: tasks without test sentences are scored on dev only.
    const withTest = config.trainer.evaluateTest
      ? built.tasks.filter((t) => t.test && t.test.length > 0)
      : [];
    const score = async (gated: boolean) => {
      const components = gated ? built.components : [];
      const devResults = await evaluateTasks(
        tf,
        built.encoder,
        built.tasks,
        'dev',
        limits,
        undefined,
        components,
      );
      for (const [task, result] of Object.entries(devResults)) primary[task] = result.primary;
      const dev = scoresOf(devResults);
      const test =
        withTest.length > 0
          ? scoresOf(
              await evaluateTasks(
                tf,
                built.encoder,
                withTest,
                'test',
                limits,
                undefined,
                components,
              ),
            )
          : undefined;
      return test ? { dev, test } : { dev };
    };
    return {
      format: 1,
      component: name,
      tasks: built.tasks.map((t) => t.name),
      seed: config.seed,
      final: entry.component.report?.() as HeadGatesReport,
      evaluations: await evaluationsOf(directory, name),
      primary,
      scores: { gated: await score(true), open: await score(false) },
    };
  } finally {
    disposeExperiment(built);
  }
}

function scoresOf(results: Record<string, MetricResult>): TaskScores {
  return Object.fromEntries(Object.entries(results).map(([task, r]) => [task, r.scores]));
}
