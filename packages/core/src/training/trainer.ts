import type { Sentence } from '../contracts/annotations.js';
import type { EncodeOptions, Encoder } from '../contracts/encoder.js';
import type { MetricResult } from '../contracts/metric.js';
import type { TaskHead } from '../contracts/task-head.js';
import type {
  TaskGradients,
  TrainingComponent,
  TrainingUpdateContext,
} from '../contracts/training-component.js';
import type { NamedTensorMap, Scalar, Tensor, TensorFlow } from '../contracts/tensorflow.js';
import { StemError } from '../errors.js';
import type { SeededRandom } from '../random/seeded-random.js';
import { AdamW } from './adamw.js';
import { explainBackendMemoryError } from './backend-memory.js';
import {
  encodeOptionsFor,
  evaluationRandom,
  prepareBatch,
  targetsOf,
} from './batch-preparation.js';
import { CheckpointStore, underPrefix, withPrefix } from './checkpoint-store.js';
import { clipByGlobalNorm } from './gradient-clipping.js';
import { linearWarmupDecay, plannedUpdates } from './learning-rate-schedule.js';
import { MovingAverageLossBalancer } from './loss-balancer.js';
import { planEpoch } from './task-sampling.js';
import { taskGradients } from './task-gradients.js';
import { TokenizedCorpus } from './tokenized-corpus.js';
import type { TrainerSettings } from './trainer-settings.js';
import { initialTrainingState, type TrainingState } from './training-state.js';

export interface TrainingTask {
  name: string;
  head: TaskHead;
  train: readonly Sentence[];
  dev: readonly Sentence[];
  test?: readonly Sentence[];
}

/** A training component of the run with its config section name (`trainingComponents.<name>`). */
export interface NamedTrainingComponent {
  name: string;
  component: TrainingComponent;
}

/** Where the trainer reports: NDJSON events for the run directory, progress for stderr. */
export interface TrainingObserver {
  event(record: Record<string, unknown>): Promise<void> | void;
  progress?(status: TrainingProgress): void;
}

export interface TrainingProgress {
  epoch: number;
  epochs: number;
  stepInEpoch: number;
  stepsPerEpoch: number;
  losses: Record<string, number>;
  subwordsPerSecond: number;
}

export interface TrainingResult {
  epochsTrained: number;
  steps: number;
  best: { score: number; epoch: number; settled?: boolean } | null;
  stoppedEarly: boolean;
  /** Why training stopped early (patience ran out after the components had settled). */
  stopReason?: 'patience';
  /** With settling components (pruning gates): whether they had all settled at the end. */
  settled?: boolean;
  dev: Record<string, MetricResult>;
  test?: Record<string, MetricResult>;
  /** Tasks with no test sentences (when test scores were asked for): they have no test score. */
  testNotAvailable?: string[];
  /** Sentences each task left out per split because they lack the layers its head needs. */
  skippedSentences?: Record<string, Record<string, number>>;
  /** Each training component's final report (after the best checkpoint is reloaded). */
  components?: Record<string, Record<string, unknown>>;
}

export interface TrainerInput {
  tf: TensorFlow;
  encoder: Encoder;
  tasks: readonly TrainingTask[];
  settings: TrainerSettings;
  /** The run's random stream; every draw of the trainer is a fork of it keyed by position. */
  random: SeededRandom;
  checkpoints: { last: string; best: string };
  observer: TrainingObserver;
  /** Components trained beside encoder and heads (see `TrainingComponent`). */
  components?: readonly NamedTrainingComponent[];
}

/**
 * Single- and multi-task training as in He & Choi 2021 (set-up: docs/paper-method.md,
 * Training), talking only to the Encoder and TaskHead contracts: AdamW with encoder / head learning rates, linear warm-up and
 * decay, global-norm clipping, gradient accumulation, one task per mini-batch drawn with
 * p_t ~ N_t^alpha, moving-average loss balancing, dev evaluation each epoch with early
 * stopping, atomic resumable checkpoints, and a hard stop on NaN/Inf losses.
 */
export class Trainer {
  private readonly tf: TensorFlow;
  private readonly settings: TrainerSettings;
  private readonly optimizer: AdamW;
  private readonly balancer: MovingAverageLossBalancer;
  private readonly last: CheckpointStore;
  private readonly bestStore: CheckpointStore;
  private state: TrainingState = initialTrainingState();
  private epochClock = { started: Date.now(), words: 0, subwords: 0 };
  /** Dev (and test) sentences are scored every epoch: tokenise them once. */
  private readonly evaluationCorpora = new Map<string, TokenizedCorpus>();
  private readonly components: readonly NamedTrainingComponent[];

  constructor(private readonly input: TrainerInput) {
    this.tf = input.tf;
    this.settings = input.settings;
    this.components = input.components ?? [];
    if (input.tasks.length === 0) throw new StemError('nothing to train: the config has no task');
    for (const task of input.tasks) {
      if (task.train.length === 0)
        throw new StemError(
          `task "${task.name}" has no training sentence`,
          'check the dataset of that task and its train split',
        );
    }
    this.optimizer = new AdamW(
      input.tf,
      [
        {
          name: 'encoder',
          variables: input.encoder.trainableVariables(),
          learningRate: this.settings.encoderLearningRate,
        },
        ...input.tasks.map((task) => ({
          name: `task/${task.name}`,
          variables: task.head.trainableVariables(),
          learningRate: this.settings.headLearningRate,
        })),
        ...this.components.map(({ name, component }) => ({
          name: `component/${name}`,
          variables: component.trainableVariables(),
          learningRate: component.optimizer.learningRate,
          weightDecay: component.optimizer.weightDecay ?? 0,
          constantRate: (component.optimizer.schedule ?? 'constant') === 'constant',
        })),
      ],
      { beta1: 0.9, beta2: 0.999, epsilon: 1e-8, weightDecay: this.settings.weightDecay },
    );
    this.balancer = new MovingAverageLossBalancer(
      input.tasks.map((t) => t.name),
      this.settings.balanceWindow,
    );
    this.last = new CheckpointStore(input.checkpoints.last);
    this.bestStore = new CheckpointStore(input.checkpoints.best);
  }

  /** Trains (continuing from the last checkpoint when `resume`), then scores the best model. */
  async train({ resume = false }: { resume?: boolean } = {}): Promise<TrainingResult> {
    const { tasks, encoder, observer, settings } = this.input;
    if (resume) await this.restore();
    const limits = {
      maxSentences: settings.maxSentencesPerBatch,
      maxSubwords: settings.maxSubwordsPerBatch,
    };
    const corpora = await Promise.all(
      tasks.map((task) => TokenizedCorpus.create(encoder, task.train)),
    );
    const batches = corpora.map((corpus) => corpus.batches(limits));
    const counts = batches.map((b) => b.length);
    const stepsPerEpoch = counts.reduce((sum, n) => sum + n, 0);
    const plannedSteps = Math.min(settings.epochs * stepsPerEpoch, settings.maxSteps ?? Infinity);
    const totalUpdates = plannedUpdates(stepsPerEpoch, plannedSteps, settings.accumulate);
    if (!resume) {
      await observer.event({
        event: 'start',
        tasks: tasks.map((t, i) => ({
          name: t.name,
          sentences: t.train.length,
          words: t.train.reduce((n, s) => n + s.words.length, 0),
          subwords: corpora[i]?.subwordCount,
          batches: counts[i],
        })),
        stepsPerEpoch,
        totalUpdates,
      });
    }

    let accumulated = new Map<string, Tensor>();
    let accumulatedBatches = 0;
    let windowStart = Date.now();
    let windowSubwords = 0;
    const recentLosses: Record<string, number> = {};

    while (!this.state.stopped && this.state.epoch < settings.epochs) {
      this.epochClock = { started: Date.now(), words: 0, subwords: 0 };
      const plan = planEpoch(
        counts,
        this.input.random.fork(`epoch/${this.state.epoch}`),
        settings.samplingAlpha,
      );
      while (this.state.stepInEpoch < plan.length) {
        if (settings.maxSteps !== undefined && this.state.globalStep >= settings.maxSteps) break;
        const { task: taskIndex, batch: batchIndex } = plan[this.state.stepInEpoch] as {
          task: number;
          batch: number;
        };
        const task = tasks[taskIndex] as TrainingTask;
        const batch = (corpora[taskIndex] as TokenizedCorpus).batch(
          (batches[taskIndex] as number[][])[batchIndex] as number[],
        );
        const stepRandom = this.input.random.fork(`step/${this.state.globalStep}`);
        const prepared = prepareBatch(task.head, batch, stepRandom.fork('batch'), true);
        const variables = [
          ...encoder.trainableVariables(),
          ...task.head.trainableVariables(),
          ...this.components.flatMap(({ component }) =>
            component.trainingEncodeOptions ? component.trainableVariables() : [],
          ),
        ];
        const { value, grads } = this.withMemoryExplained(batch, () =>
          this.tf.variableGrads(
            () =>
              task.head.loss(
                encoder.encode(
                  prepared.tokens,
                  encodeOptionsFor(task.head, {
                    ...this.componentTrainingOptions(task.name, stepRandom),
                    training: true,
                    random: stepRandom,
                  }),
                ),
                batch.sentences,
                {
                  random: stepRandom.fork('head'),
                  ...targetsOf(prepared),
                },
              ) as Scalar,
            variables,
          ),
        );
        const loss = (await value.data())[0] as number;
        value.dispose();
        // Component loss terms: their own tape, weight 1 (the MTL balancer scales task losses only).
        const componentLosses = await this.componentLossTerms(task.name, stepRandom);
        const componentLoss = Object.values(componentLosses.values).reduce((a, b) => a + b, 0);
        accumulated = accumulate(this.tf, accumulated, componentLosses.grads, 1);
        if (!Number.isFinite(loss) || !Number.isFinite(componentLoss)) {
          disposeAll(grads);
          disposeAll(Object.fromEntries(accumulated));
          throw new StemError(
            `task "${task.name}" produced a ${Number.isNaN(loss) ? 'NaN' : 'infinite'} loss at step ${this.state.globalStep} (epoch ${this.state.epoch + 1}); training stopped, the last good checkpoint is kept`,
            'lower the learning rates, check the data of that task, or resume from the last checkpoint with other settings',
            'NAN_LOSS',
          );
        }
        const weight =
          tasks.length > 1 && settings.balanceLosses ? this.balancer.observe(task.name, loss) : 1;
        accumulated = accumulate(this.tf, accumulated, grads, weight);
        accumulatedBatches += 1;
        recentLosses[task.name] = loss;
        const batchSubwords = batch.tokens.subwordIds.reduce((sum, ids) => sum + ids.length, 0);
        windowSubwords += batchSubwords;
        this.epochClock.subwords += batchSubwords;
        this.epochClock.words += batch.tokens.wordCounts.reduce((sum, n) => sum + n, 0);
        this.state.globalStep += 1;
        this.state.stepInEpoch += 1;

        const endOfPlan =
          this.state.stepInEpoch === plan.length || this.state.globalStep === plannedSteps;
        if (accumulatedBatches === settings.accumulate || endOfPlan) {
          const rate = linearWarmupDecay(this.optimizer.updateCount, totalUpdates, settings.warmup);
          const averaged = scaleAll(this.tf, accumulated, 1 / accumulatedBatches);
          const { gradients, norm } = clipByGlobalNorm(this.tf, averaged, settings.clipNorm);
          disposeAll(Object.fromEntries(averaged));
          this.optimizer.apply(gradients, rate);
          disposeAll(Object.fromEntries(gradients));
          accumulated = new Map();
          accumulatedBatches = 0;
          this.state.optimizerUpdates = this.optimizer.updateCount;
          await this.componentsAfterUpdate();
          await observer.event({
            event: 'update',
            epoch: this.state.epoch + 1,
            step: this.state.globalStep,
            update: this.optimizer.updateCount,
            task: task.name,
            loss,
            ...(this.components.length > 0 ? { componentLosses: componentLosses.values } : {}),
            weight,
            gradientNorm: norm,
            rateMultiplier: rate,
          });
          if (
            this.optimizer.updateCount % settings.checkpointEvery === 0 &&
            this.state.stepInEpoch < plan.length
          )
            await this.saveLast();
        }
        const seconds = (Date.now() - windowStart) / 1000;
        observer.progress?.({
          epoch: this.state.epoch + 1,
          epochs: settings.epochs,
          stepInEpoch: this.state.stepInEpoch,
          stepsPerEpoch: plan.length,
          losses: { ...recentLosses },
          subwordsPerSecond: seconds > 0 ? windowSubwords / seconds : 0,
        });
        if (seconds > 10) {
          windowStart = Date.now();
          windowSubwords = 0;
        }
      }
      const finishedEpoch = this.state.stepInEpoch >= plan.length;
      await this.endOfEpoch(finishedEpoch);
      if (settings.maxSteps !== undefined && this.state.globalStep >= settings.maxSteps) break;
    }
    return this.finish();
  }

  /** Runs a training step's forward and backward pass; a wasm heap overflow becomes a StemError. */
  private withMemoryExplained<T>(
    batch: {
      sentences: readonly Sentence[];
      tokens: { subwordIds: readonly (readonly number[])[] };
    },
    run: () => T,
  ): T {
    try {
      return run();
    } catch (error) {
      throw (
        explainBackendMemoryError(error, {
          backend: this.tf.getBackend(),
          sentences: batch.sentences.length,
          subwords: batch.tokens.subwordIds.reduce((sum, ids) => sum + ids.length, 0),
          step: this.state.globalStep + 1,
        }) ?? error
      );
    }
  }

  /** Dev scores, best-checkpoint bookkeeping, early stopping, and the epoch-end checkpoint. */
  private async endOfEpoch(finishedEpoch: boolean): Promise<void> {
    // Training throughput of the epoch, before evaluation time is spent.
    const seconds = (Date.now() - this.epochClock.started) / 1000;
    const throughput = {
      trainSeconds: seconds,
      wordsPerSecond: this.epochClock.words / seconds,
      subwordsPerSecond: this.epochClock.subwords / seconds,
    };
    const dev = await this.evaluate('dev');
    const score = meanPrimary(dev);
    const epoch = this.state.epoch + 1;
    const settled = this.componentsSettled();
    const best = this.state.best;
    const bestSettled = best?.settled ?? true;
    // A settled checkpoint (every gate decided) beats an unsettled one whatever the scores:
    // the final gates and scores must come from a model whose components had settled.
    const improved =
      best === null || (settled && !bestSettled) || (settled === bestSettled && score > best.score);
    if (improved) {
      this.state.best = { score, epoch, ...(settled ? {} : { settled: false }) };
      this.state.epochsWithoutGain = 0;
      await this.bestStore.save(this.state.globalStep, this.modelTensors(), { epoch, score });
    } else if (settled) {
      // Patience counts only once the components have settled.
      this.state.epochsWithoutGain += 1;
    }
    const memory = this.tf.memory();
    await this.input.observer.event({
      event: 'dev',
      epoch,
      step: this.state.globalStep,
      score,
      improved,
      scores: scoresOf(dev),
      ...throughput,
      tensors: memory.numTensors,
      tensorBytes: memory.numBytes,
      ...(this.components.length > 0 ? { components: this.componentReports() } : {}),
    });
    if (finishedEpoch) {
      this.state.epoch += 1;
      this.state.stepInEpoch = 0;
    }
    if (this.state.epochsWithoutGain >= this.settings.patience) {
      this.state.stopped = true;
      this.state.stopReason = 'patience';
      await this.input.observer.event({
        event: 'early-stop',
        epoch,
        reason: 'patience',
        patience: this.settings.patience,
      });
    }
    await this.saveLast();
  }

  /** Whether any component says when it has settled (`TrainingComponent.settled`). */
  private hasSettlingComponents(): boolean {
    return this.components.some(({ component }) => component.settled !== undefined);
  }

  /** True when every component that can settle has (true when none can). */
  private componentsSettled(): boolean {
    return this.components.every(({ component }) => component.settled?.() ?? true);
  }

  private async finish(): Promise<TrainingResult> {
    // Reload the best dev checkpoint before the final scores (He & Choi 2021).
    if (await this.bestStore.exists()) {
      const { tensors } = await this.bestStore.load(this.tf);
      this.loadModelTensors(tensors);
      disposeAll(tensors);
    }
    const dev = await this.evaluate('dev');
    // Tasks without test sentences are scored on dev only, and the result says which.
    const withTest = this.input.tasks.filter((t) => t.test && t.test.length > 0);
    const testNotAvailable = this.settings.evaluateTest
      ? this.input.tasks.filter((t) => !withTest.includes(t)).map((t) => t.name)
      : [];
    const test =
      this.settings.evaluateTest && withTest.length > 0
        ? await this.evaluate('test', withTest)
        : undefined;
    const result: TrainingResult = {
      epochsTrained: this.state.epoch,
      steps: this.state.globalStep,
      best: this.state.best,
      stoppedEarly: this.state.stopped,
      ...(this.state.stopReason ? { stopReason: this.state.stopReason } : {}),
      ...(this.hasSettlingComponents() ? { settled: this.componentsSettled() } : {}),
      dev,
      ...(test ? { test } : {}),
      ...(testNotAvailable.length > 0 ? { testNotAvailable } : {}),
      ...(this.components.length > 0 ? { components: this.componentReports() } : {}),
    };
    await this.input.observer.event({
      event: 'end',
      ...result,
      dev: scoresOf(dev),
      ...(test ? { test: scoresOf(test) } : {}),
    });
    return result;
  }

  /** Scores every task (or the ones given) on a split with the current weights. */
  async evaluate(
    split: 'dev' | 'test',
    tasks: readonly TrainingTask[] = this.input.tasks,
  ): Promise<Record<string, MetricResult>> {
    return evaluateTasks(
      this.tf,
      this.input.encoder,
      tasks,
      split,
      {
        maxSentences: this.settings.maxSentencesPerBatch,
        maxSubwords: this.settings.maxSubwordsPerBatch,
      },
      this.evaluationCorpora,
      this.components,
    );
  }

  /** Every component's per-step encoder options (called inside the gradient tape). */
  private componentTrainingOptions(task: string, stepRandom: SeededRandom): Partial<EncodeOptions> {
    const options: Partial<EncodeOptions> = {};
    for (const { name, component } of this.components) {
      if (!component.trainingEncodeOptions) continue;
      Object.assign(
        options,
        component.trainingEncodeOptions(this.stepContext(name, task, stepRandom)),
      );
    }
    return options;
  }

  /** Values and gradients of the components' loss terms of this step. */
  private async componentLossTerms(
    task: string,
    stepRandom: SeededRandom,
  ): Promise<{ values: Record<string, number>; grads: NamedTensorMap }> {
    const values: Record<string, number> = {};
    const grads: NamedTensorMap = {};
    for (const { name, component } of this.components) {
      if (!component.lossTerm) continue;
      const term = this.tf.variableGrads(
        () =>
          (component.lossTerm as NonNullable<TrainingComponent['lossTerm']>)(
            this.stepContext(name, task, stepRandom),
          ),
        component.trainableVariables(),
      );
      values[name] = (await term.value.data())[0] as number;
      term.value.dispose();
      for (const [variable, gradient] of Object.entries(term.grads)) {
        const previous = grads[variable];
        if (previous) {
          grads[variable] = this.tf.tidy(() => previous.add(gradient));
          previous.dispose();
          gradient.dispose();
        } else {
          grads[variable] = gradient;
        }
      }
    }
    return { values, grads };
  }

  /** Hands every measuring component the frozen parameters after an update. */
  private async componentsAfterUpdate(): Promise<void> {
    const measuring = this.components.filter(({ component }) => component.afterUpdate);
    if (measuring.length === 0) return;
    const context: TrainingUpdateContext = {
      update: this.optimizer.updateCount,
      step: this.state.globalStep,
      tasks: this.input.tasks.map((t) => t.name),
      trainingSentences: (task) => this.taskNamed(task).train,
      gradientsOf: (task, sentences, random) => this.gradientsOf(task, sentences, random),
    };
    for (const { component } of measuring) await component.afterUpdate?.(context);
  }

  private taskNamed(name: string): TrainingTask {
    const task = this.input.tasks.find((t) => t.name === name);
    if (!task)
      throw new StemError(
        `a training component asked for task "${name}", which the run does not have`,
        `the run's tasks are: ${this.input.tasks.map((t) => t.name).join(', ')}`,
      );
    return task;
  }

  /** `taskGradients` of one of this run's tasks, with the run's encoder and components. */
  private gradientsOf(
    taskName: string,
    sentences: readonly Sentence[],
    random: SeededRandom,
  ): Promise<TaskGradients> {
    const { head } = this.taskNamed(taskName);
    const model = { encoder: this.input.encoder, head, components: this.components };
    return taskGradients(this.tf, model, sentences, random);
  }

  private stepContext(name: string, task: string, stepRandom: SeededRandom) {
    return {
      random: stepRandom.fork(`component/${name}`),
      task,
      step: this.state.globalStep,
    };
  }

  private componentReports(): Record<string, Record<string, unknown>> {
    return Object.fromEntries(
      this.components.map(({ name, component }) => [name, component.report?.() ?? {}]),
    );
  }

  private modelTensors(): NamedTensorMap {
    return {
      ...withPrefix(this.input.encoder.weights(), 'encoder'),
      ...Object.assign(
        {},
        ...this.input.tasks.map((task) => withPrefix(task.head.weights(), `task/${task.name}`)),
      ),
      ...componentTensors(this.components),
    };
  }

  private loadModelTensors(tensors: NamedTensorMap): void {
    this.input.encoder.loadWeights(underPrefix(tensors, 'encoder'));
    for (const task of this.input.tasks)
      task.head.loadWeights(underPrefix(tensors, `task/${task.name}`));
    loadComponentTensors(this.components, tensors);
  }

  private async saveLast(): Promise<void> {
    this.state.balancer = this.balancer.state();
    const tensors = {
      ...this.modelTensors(),
      ...withPrefix(this.optimizer.state().tensors, 'optimizer'),
    };
    await this.last.save(this.state.globalStep, tensors, this.state);
  }

  private async restore(): Promise<void> {
    const { state, tensors } = await this.last.load<TrainingState>(this.tf);
    if (state.format !== 1)
      throw new StemError(
        `${this.last.directory}: checkpoint format ${String(state.format)} is not supported`,
      );
    this.loadModelTensors(tensors);
    this.optimizer.load({
      updates: state.optimizerUpdates,
      tensors: underPrefix(tensors, 'optimizer'),
    });
    this.balancer.load(state.balancer);
    disposeAll(tensors);
    this.state = { ...state };
    await this.input.observer.event({
      event: 'resume',
      epoch: state.epoch + 1,
      step: state.globalStep,
    });
  }

  dispose(): void {
    this.optimizer.dispose();
  }
}

/** Decodes a split of every task in length-sorted batches and accumulates its metric. */
export async function evaluateTasks(
  tf: TensorFlow,
  encoder: Encoder,
  tasks: readonly TrainingTask[],
  split: 'dev' | 'test',
  limits: { maxSentences: number; maxSubwords: number },
  /** Tokenised splits by `<task>/<split>`, reused across calls when given. */
  cache?: Map<string, TokenizedCorpus>,
  /** Training components whose evaluation options (e.g. head gates) apply. */
  components: readonly NamedTrainingComponent[] = [],
): Promise<Record<string, MetricResult>> {
  const extra = componentEvaluationOptions(components);
  try {
    return await evaluateWith(tf, encoder, tasks, split, limits, cache, extra);
  } finally {
    tf.dispose(tensorsOf(extra));
  }
}

async function evaluateWith(
  tf: TensorFlow,
  encoder: Encoder,
  tasks: readonly TrainingTask[],
  split: 'dev' | 'test',
  limits: { maxSentences: number; maxSubwords: number },
  cache: Map<string, TokenizedCorpus> | undefined,
  extra: Partial<EncodeOptions>,
): Promise<Record<string, MetricResult>> {
  const results: Record<string, MetricResult> = {};
  for (const task of tasks) {
    const sentences = split === 'dev' ? task.dev : (task.test ?? []);
    const metric = task.head.createMetric();
    const key = `${task.name}/${split}`;
    const corpus = cache?.get(key) ?? (await TokenizedCorpus.create(encoder, sentences));
    cache?.set(key, corpus);
    const random = evaluationRandom(split);
    for (const indices of corpus.batches(limits)) {
      const batch = corpus.batch(indices);
      const prepared = prepareBatch(task.head, batch, random, false);
      const encoded = encoder.encode(
        prepared.tokens,
        encodeOptionsFor(task.head, { ...extra, training: false }),
      );
      try {
        metric.update(
          batch.sentences,
          task.head.decode(encoded, batch.sentences, { purpose: split, ...targetsOf(prepared) }),
        );
      } finally {
        tf.dispose(Object.values(encoded).flat() as Tensor[]);
      }
    }
    results[task.name] = metric.result();
  }
  return results;
}

/**
 * The merged evaluation options of `components` (e.g. their head gates). The caller
 * disposes the tensors in it (`tensorsOf`) when done.
 */
export function componentEvaluationOptions(
  components: readonly NamedTrainingComponent[],
): Partial<EncodeOptions> {
  const options: Partial<EncodeOptions> = {};
  for (const { component } of components)
    Object.assign(options, component.evaluationEncodeOptions?.() ?? {});
  return options;
}

/** The tensors among encode options (to dispose them). */
export function tensorsOf(options: Partial<EncodeOptions>): Tensor[] {
  return (Object.values(options) as unknown[]).filter(
    (value): value is Tensor =>
      typeof value === 'object' && value !== null && 'dataId' in value && 'dispose' in value,
  );
}

/** Component weights keyed `component/<name>/<weight>` for checkpoints. */
export function componentTensors(components: readonly NamedTrainingComponent[]): NamedTensorMap {
  return Object.assign(
    {},
    ...components.map(({ name, component }) =>
      withPrefix(component.weights(), `component/${name}`),
    ),
  );
}

export function loadComponentTensors(
  components: readonly NamedTrainingComponent[],
  tensors: NamedTensorMap,
): void {
  for (const { name, component } of components)
    component.loadWeights(underPrefix(tensors, `component/${name}`));
}

function meanPrimary(results: Record<string, MetricResult>): number {
  const values = Object.values(results).map((r) => r.scores[r.primary] ?? 0);
  return values.reduce((sum, v) => sum + v, 0) / Math.max(1, values.length);
}

function scoresOf(results: Record<string, MetricResult>): Record<string, Record<string, number>> {
  return Object.fromEntries(Object.entries(results).map(([task, r]) => [task, r.scores]));
}

function accumulate(
  tf: TensorFlow,
  sum: Map<string, Tensor>,
  grads: NamedTensorMap,
  weight: number,
): Map<string, Tensor> {
  const next = new Map(sum);
  for (const [name, gradient] of Object.entries(grads)) {
    const weighted = weight === 1 ? gradient : tf.tidy(() => gradient.mul(weight));
    if (weighted !== gradient) gradient.dispose();
    const previous = next.get(name);
    if (previous) {
      next.set(
        name,
        tf.tidy(() => previous.add(weighted)),
      );
      previous.dispose();
      weighted.dispose();
    } else {
      next.set(name, weighted);
    }
  }
  return next;
}

function scaleAll(
  tf: TensorFlow,
  gradients: Map<string, Tensor>,
  factor: number,
): Map<string, Tensor> {
  const scaled = new Map<string, Tensor>();
  for (const [name, gradient] of gradients) {
    scaled.set(name, factor === 1 ? gradient : tf.tidy(() => gradient.mul(factor)));
    if (factor !== 1) gradient.dispose();
  }
  return scaled;
}

function disposeAll(tensors: NamedTensorMap): void {
  for (const tensor of Object.values(tensors)) tensor.dispose();
}
