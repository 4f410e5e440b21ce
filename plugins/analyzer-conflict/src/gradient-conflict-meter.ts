import { join } from 'node:path';
import {
  writeJsonAtomic,
  type NamedTensorMap,
  type SeededRandom,
  type Sentence,
  type TensorFlow,
  type TrainingComponent,
  type TrainingComponentBuildInput,
  type TrainingUpdateContext,
  type Variable,
} from '@stem/core';
import type { GradientConflictConfig } from './conflict-config.js';
import { measureConflict, type ConflictMeasurement } from './conflict-measurement.js';
import { layoutKeys, type GradientArray, type HeadLayout } from './head-slices.js';
import { drawProbeBatch } from './probe-batches.js';

/** File of one measurement in the output folder (zero-padded, so names sort by update). */
export function measurementFile(update: number): string {
  return `update-${String(update).padStart(7, '0')}.json`;
}

/**
 * Measures, every `every` optimiser updates, how the tasks' gradients agree on each attention
 * head (a training component that trains nothing). With the parameters of that moment, it
 * takes each task's gradient on its fixed probe batch (`TrainingUpdateContext.gradientsOf`:
 * no update, no dropout), slices it per head (`headSlice`) and records per head the norms,
 * the cosine of every task pair, the conflict with the summed gradient and the norm shares.
 * Probe batches are drawn from the component's stream `probe` on first use, so a resumed run
 * measures on the same sentences; one stream for every task, so tasks over the same training
 * sentences (POS and DEP of one treebank, or twin tasks) are probed on the same sentences
 * and sentence sampling adds no disagreement of its own; each measurement is one atomically written
 * file named by its update, so a measurement repeated after a resume overwrites itself with
 * the same numbers. The component holds no weights: training is unchanged by it.
 */
export class GradientConflictMeter implements TrainingComponent {
  readonly optimizer = { learningRate: 0, weightDecay: 0, schedule: 'constant' as const };
  private readonly probes = new Map<string, Sentence[]>();
  private readonly measured: ConflictMeasurement[] = [];

  constructor(
    private readonly tf: TensorFlow,
    private readonly config: GradientConflictConfig,
    private readonly input: Pick<TrainingComponentBuildInput, 'name' | 'encoderShape'>,
    private readonly random: SeededRandom,
    /** Where measurements are written (`analyses/conflict/` of the run); none: kept in memory only. */
    readonly outputDirectory?: string,
  ) {}

  trainableVariables(): Variable[] {
    return [];
  }

  /** The measurements this process has taken, oldest first. */
  measurements(): readonly ConflictMeasurement[] {
    return this.measured;
  }

  /** The fixed probe batch of a task (drawn once from its training sentences). */
  probeBatch(task: string, context: Pick<TrainingUpdateContext, 'trainingSentences'>): Sentence[] {
    let probe = this.probes.get(task);
    if (!probe) {
      probe = drawProbeBatch(
        context.trainingSentences(task),
        this.config.probeSentences,
        this.random.fork('probe'),
      );
      this.probes.set(task, probe);
    }
    return probe;
  }

  async afterUpdate(context: TrainingUpdateContext): Promise<void> {
    if (context.update % this.config.every !== 0) return;
    await this.measure(context);
  }

  /** Takes one measurement now (also the post-hoc entry point on a loaded model). */
  async measure(
    context: Pick<
      TrainingUpdateContext,
      'update' | 'step' | 'tasks' | 'trainingSentences' | 'gradientsOf'
    >,
  ): Promise<ConflictMeasurement> {
    const gradients: Array<Record<string, GradientArray>> = [];
    const losses: number[] = [];
    const probeSentences: number[] = [];
    let gateKeys: string[] = [];
    for (const task of context.tasks) {
      const probe = this.probeBatch(task, context);
      // A fixed stream per task for the head's batch preparation (masking): reproducible.
      const taken = await context.gradientsOf(task, probe, this.random.fork(`prepare/${task}`));
      try {
        gateKeys = this.gateKeysOf(taken.gradients);
        gradients.push(await this.readSliceInputs(taken.gradients, gateKeys));
      } finally {
        this.tf.dispose(Object.values(taken.gradients));
      }
      losses.push(taken.loss);
      probeSentences.push(probe.length);
    }
    const measurement = measureConflict(
      { update: context.update, step: context.step, tasks: context.tasks, losses, probeSentences },
      gradients,
      this.layout(gateKeys),
    );
    this.measured.push(measurement);
    if (this.outputDirectory)
      await writeJsonAtomic(
        join(this.outputDirectory, measurementFile(measurement.update)),
        measurement,
      );
    return measurement;
  }

  private layout(gateKeys: readonly string[]): HeadLayout {
    return {
      layers: this.input.encoderShape.layers,
      heads: this.input.encoderShape.heads,
      names: this.config.weights,
      gateKeys,
      configPath: `trainingComponents.${this.input.name}.weights`,
    };
  }

  /** Component gradients shaped [layers, heads] (head gates), when gates are included. */
  private gateKeysOf(gradients: NamedTensorMap): string[] {
    if (!this.config.includeGates) return [];
    const { layers, heads } = this.input.encoderShape;
    return Object.entries(gradients)
      .filter(
        ([key, g]) =>
          key.startsWith('component/') &&
          g.shape.length === 2 &&
          g.shape[0] === layers &&
          g.shape[1] === heads,
      )
      .map(([key]) => key)
      .sort();
  }

  /** Reads off the device only the gradients the head slices use. */
  private async readSliceInputs(
    gradients: NamedTensorMap,
    gateKeys: readonly string[],
  ): Promise<Record<string, GradientArray>> {
    const read: Record<string, GradientArray> = {};
    const wanted = new Set(layoutKeys(this.layout(gateKeys)));
    for (const [key, gradient] of Object.entries(gradients)) {
      if (!wanted.has(key)) continue;
      read[key] = { shape: gradient.shape, values: (await gradient.data()) as Float32Array };
    }
    return read;
  }

  /** The latest measurement's means (in every dev event and the end of metrics.ndjson). */
  report(): Record<string, unknown> {
    const last = this.measured.at(-1);
    return last
      ? {
          lastUpdate: last.update,
          meanConflict: last.summary.meanConflict,
          meanCosine: last.summary.meanCosine,
        }
      : { lastUpdate: null };
  }

  weights(): NamedTensorMap {
    return {};
  }

  loadWeights(): void {}

  dispose(): void {
    this.probes.clear();
  }
}
