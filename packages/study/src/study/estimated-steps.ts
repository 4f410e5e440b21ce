import { trainerSettingsSchema } from '@stem/core';

/** Training sentences assumed for a task without a train limit (about UD EWT's 12.5k). */
const UNKNOWN_TRAIN_SENTENCES = 12_000;

function trainerOf(config: Record<string, unknown>) {
  const parsed = trainerSettingsSchema.safeParse(config['trainer'] ?? {});
  // An invalid trainer section fails later with its own message; the estimate uses defaults.
  return parsed.success ? parsed.data : trainerSettingsSchema.parse({});
}

/**
 * An estimate, for the study's ETA and plan, of the mini-batch steps a run's experiment config
 * will take: epochs x batches per epoch (each task's training sentences over the sentence cap;
 * the sub-word cap can only add batches), capped by maxSteps. Steps, not updates: the trainer's
 * progress counts mini-batches, with or without `accumulate`. Defaults are core's trainer
 * defaults; a task without a train limit counts `unknownSentences`.
 */
export function estimatedSteps(
  config: Record<string, unknown>,
  unknownSentences = UNKNOWN_TRAIN_SENTENCES,
): number {
  const trainer = trainerOf(config);
  const tasks = (config['tasks'] ?? {}) as Record<string, { limit?: { train?: number } }>;
  const batches = Object.values(tasks).reduce(
    (sum, task) =>
      sum + Math.ceil((task.limit?.train ?? unknownSentences) / trainer.maxSentencesPerBatch),
    0,
  );
  const steps = trainer.epochs * batches;
  return trainer.maxSteps === undefined ? steps : Math.min(steps, trainer.maxSteps);
}

/** The run's trainer.maxSteps, which the trainer's progress line does not show. */
export function stepCap(config: Record<string, unknown>): number | undefined {
  return trainerOf(config).maxSteps;
}
