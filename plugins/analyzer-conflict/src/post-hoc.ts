import {
  taskGradients,
  type Encoder,
  type NamedTrainingComponent,
  type SeededRandom,
  type TensorFlow,
  type TrainingTask,
} from '@stem/core';
import type { GradientConflictConfig } from './conflict-config.js';
import type { ConflictMeasurement } from './conflict-measurement.js';
import { GradientConflictMeter } from './gradient-conflict-meter.js';

/**
 * The meter's measurement on a model loaded from a finished run (core's `loadRun`: its
 * encoder, tasks with their training sentences, and components, with a checkpoint's weights),
 * for `stem conflict <run-dir>`. With the stream the run's meter had
 * (`trainingComponents.<name>` of the run's stream) it probes the same sentences the run did.
 * `update` and `step` label the measurement (the checkpoint's update count and global step,
 * from its `state.json`). Written to `outputDirectory` when given. `stem conflict <run-dir>`
 * (apps/cli) calls it.
 */
export async function measureLoadedRun(input: {
  tf: TensorFlow;
  encoder: Encoder;
  tasks: readonly TrainingTask[];
  components?: readonly NamedTrainingComponent[];
  config: GradientConflictConfig;
  random: SeededRandom;
  update: number;
  step: number;
  name?: string;
  outputDirectory?: string;
}): Promise<ConflictMeasurement> {
  const meter = new GradientConflictMeter(
    input.tf,
    input.config,
    { name: input.name ?? 'conflict', encoderShape: input.encoder.shape },
    input.random,
    input.outputDirectory,
  );
  const taskNamed = (name: string) => {
    const task = input.tasks.find((t) => t.name === name);
    if (!task) throw new Error(`the run has no task "${name}"`);
    return task;
  };
  try {
    return await meter.measure({
      update: input.update,
      step: input.step,
      tasks: input.tasks.map((t) => t.name),
      trainingSentences: (task) => taskNamed(task).train,
      gradientsOf: (task, sentences, random) =>
        taskGradients(
          input.tf,
          {
            encoder: input.encoder,
            head: taskNamed(task).head,
            components: input.components ?? [],
          },
          sentences,
          random,
        ),
    });
  } finally {
    meter.dispose();
  }
}
