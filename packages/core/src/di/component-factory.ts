import { inject, injectable, type DependencyContainer } from 'tsyringe';
import type { Analyzer } from '../contracts/analyzer.js';
import type { DatasetReader } from '../contracts/dataset-reader.js';
import type { Encoder } from '../contracts/encoder.js';
import type { TaskHead, TaskHeadBuildInput } from '../contracts/task-head.js';
import type { TensorFlow } from '../contracts/tensorflow.js';
import type {
  TrainingComponent,
  TrainingComponentBuildInput,
} from '../contracts/training-component.js';
import { type SeededRandom } from '../random/seeded-random.js';
import { type ComponentRegistry } from '../registry/component-registry.js';
import type { FactoryContext } from '../registry/registration.js';
import { TOKENS } from '../tokens.js';
import type { ComponentConfig } from '../config/experiment-schema.js';

/**
 * Builds components from config sections through the registry. Each component gets its
 * own random stream forked by its config path from the run's stream (seed + run identity),
 * so within a run components are independent and runs of one seed are too. The encoder is
 * the exception: it forks the seed's own stream, so every run of a seed (STL, MTL, pruning,
 * and the study's static probe of a random encoder) starts from the same initial network,
 * as they would from one pretrained checkpoint.
 */
@injectable()
export class ComponentFactory {
  constructor(
    @inject(TOKENS.registry) private readonly registry: ComponentRegistry,
    @inject(TOKENS.tf) private readonly tf: TensorFlow,
    @inject(TOKENS.random) private readonly random: SeededRandom,
    @inject(TOKENS.seedRandom) private readonly seedRandom: SeededRandom,
    @inject(TOKENS.container) private readonly container: DependencyContainer,
  ) {}

  context(path: string, from: SeededRandom = this.random): FactoryContext {
    return { tf: this.tf, random: from.fork(path), container: this.container };
  }

  async encoder(config: ComponentConfig, path = 'encoder'): Promise<Encoder> {
    const { type, ...fields } = config;
    return this.registry
      .require('encoder', type)
      .registration.create(fields, this.context(path, this.seedRandom));
  }

  async task(config: ComponentConfig, input: TaskHeadBuildInput, path: string): Promise<TaskHead> {
    const { type, dataset: _dataset, limit: _limit, ...fields } = config;
    return this.registry
      .require('task', type)
      .registration.create(fields, input, this.context(path));
  }

  async dataset(config: ComponentConfig, path: string): Promise<DatasetReader> {
    const { type, ...fields } = config;
    return this.registry.require('dataset', type).registration.create(fields, this.context(path));
  }

  async trainingComponent(
    config: ComponentConfig,
    input: TrainingComponentBuildInput,
    path: string,
  ): Promise<TrainingComponent> {
    const { type, ...fields } = config;
    return this.registry
      .require('training', type)
      .registration.create(fields, input, this.context(path));
  }

  async analyzer(config: ComponentConfig, path: string): Promise<Analyzer> {
    const { type, ...fields } = config;
    return this.registry.require('analyzer', type).registration.create(fields, this.context(path));
  }
}
