import type { BackendInfo } from '../src/compute/backend-name.js';
import 'reflect-metadata';
import { describe, expect, it } from 'vitest';
import * as tf from '@tensorflow/tfjs';
import { ComponentFactory } from '../src/di/component-factory.js';
import { createProcessContainer, createRunContainer } from '../src/di/run-container.js';
import { ComponentRegistry } from '../src/registry/component-registry.js';
import { createRegistrationFacade } from '../src/registry/registration-facade.js';
import { parseExperimentConfig } from '../src/config/load-config.js';
import { SeededRandom } from '../src/random/seeded-random.js';
import { runRandom, runStreamIdentity } from '../src/random/run-stream.js';
import { TOKENS } from '../src/tokens.js';
import { missingInjectionTokens } from '../src/di/injection-coverage.js';
import { inject, injectable } from 'tsyringe';
import { registerToyComponents } from './support.js';

const backend: BackendInfo = {
  requested: 'js' as const,
  device: 'js' as const,
  backend: 'cpu',
  package: 'x',
  tfjsVersion: '4',
  skipped: [],
};

/** Every injectable of core: each constructor parameter must carry an explicit @inject token. */
const INJECTABLES = [ComponentFactory];

describe('dependency injection', () => {
  it('has an explicit token for every constructor parameter', () => {
    for (const injectable of INJECTABLES) expect(missingInjectionTokens(injectable)).toEqual([]);
  });

  it('detects a parameter without a token and a non-Symbol.for token', () => {
    @injectable()
    class Careless {
      constructor(
        @inject(TOKENS.tf) readonly tf: unknown,
        readonly forgotten: unknown,
        @inject(Symbol('local')) readonly local: unknown,
      ) {}
    }
    expect(missingInjectionTokens(Careless)).toEqual([
      'Careless: constructor parameter 1 has no @inject token',
      'Careless: constructor parameter 2 is injected by Symbol(local), not a Symbol.for(...) token',
    ]);
  });

  it('gives each run its own container, config and random stream', () => {
    const registry = new ComponentRegistry();
    const processContainer = createProcessContainer({ registry, tf, backend });
    const config = (seed: number) => ({ seed, tasks: { pos: { type: 't' } } }) as never;
    const runA = createRunContainer(processContainer, { config: config(1) });
    const runB = createRunContainer(processContainer, { config: config(2) });
    expect(runA.resolve(TOKENS.registry)).toBe(registry);
    expect(runA.resolve<SeededRandom>(TOKENS.random).seed).toBe(runRandom(config(1)).seed);
    expect(runB.resolve<SeededRandom>(TOKENS.random).seed).toBe(runRandom(config(2)).seed);
    expect(runA.resolve<SeededRandom>(TOKENS.random).seed).not.toBe(
      runB.resolve<SeededRandom>(TOKENS.random).seed,
    );
    expect(runA.resolve<SeededRandom>(TOKENS.seedRandom).seed).toBe(1);
    expect(processContainer.isRegistered(TOKENS.random)).toBe(false);
  });

  it('builds components from config sections with per-path random streams', async () => {
    const registry = new ComponentRegistry();
    let seen: { config: unknown; first: number } | undefined;
    const stem = createRegistrationFacade(registry, { name: 'toy', version: '1.0.0' }, '0.1.0', tf);
    registerToyComponents(stem);
    stem.registerEncoder({
      id: 'toy.encoder.spy.v1',
      description: 'records what it got',
      configSchema: (z) => z.object({ width: z.int() }),
      create: (config, context) => {
        seen = { config, first: context.random.next() };
        return {} as never;
      },
    });
    const config = parseExperimentConfig(
      'seed: 3\nencoder: {type: toy.encoder.spy.v1, width: 4}\ntasks: {pos: {type: toy.task.tagger.v1, dataset: {type: toy.dataset.inline.v1, path: p}}}',
      'x.yaml',
      registry,
    );
    const run = createRunContainer(createProcessContainer({ registry, tf, backend }), { config });
    await run.resolve(ComponentFactory).encoder(config.encoder);
    expect(seen?.config).toEqual({ width: 4 });
    // The encoder forks the seed's own stream: every run of seed 3 starts from one network.
    expect(seen?.first).toBe(new SeededRandom(3).fork('encoder').next());
    expect(run.resolve(ComponentFactory).context('tasks.pos').random.next()).toBe(
      new SeededRandom(3).fork('run/tasks=pos:toy.task.tagger.v1').fork('tasks.pos').next(),
    );
  });

  it('forks each run by its identity: one seed, other tasks or setting -> independent streams', () => {
    const processContainer = createProcessContainer({
      registry: new ComponentRegistry(),
      tf,
      backend,
    });
    const gates = { pruning: { type: 'stem.training.head-gates.hard-concrete.v1' } };
    const stlDp = (task: string, type: string) =>
      ({ seed: 1, tasks: { [task]: { type } }, trainingComponents: gates }) as never;
    const gateDraws = (config: never) =>
      Array.from({ length: 8 }, (_, __, random = createRunContainer(processContainer, { config })
        .resolve<SeededRandom>(TOKENS.random)
        .fork('trainingComponents.pruning')) => random.next());
    const pos = gateDraws(stlDp('pos', 'stem.task.pos.softmax.v1'));
    const dep = gateDraws(stlDp('dep', 'stem.task.dep.biaffine.v1'));
    // The gate initialisation of STL-DP POS and STL-DP DEP at seed 1 no longer coincide ...
    expect(pos).not.toEqual(dep);
    // ... and the same run drawn again is identical.
    expect(gateDraws(stlDp('pos', 'stem.task.pos.softmax.v1'))).toEqual(pos);
    // The same tasks with and without pruning (STL vs STL-DP) are other runs too.
    expect(
      runStreamIdentity({ seed: 1, tasks: { pos: { type: 'stem.task.pos.softmax.v1' } } }),
    ).toBe('tasks=pos:stem.task.pos.softmax.v1');
    expect(runStreamIdentity(stlDp('pos', 'stem.task.pos.softmax.v1'))).toBe(
      'tasks=pos:stem.task.pos.softmax.v1;components=pruning:stem.training.head-gates.hard-concrete.v1',
    );
    // Section order does not matter.
    expect(runStreamIdentity({ seed: 1, tasks: { b: { type: 'y' }, a: { type: 'x' } } })).toBe(
      runStreamIdentity({ seed: 1, tasks: { a: { type: 'x' }, b: { type: 'y' } } }),
    );
  });

  it('leaves components that only observe out of the identity, and only those', () => {
    const meter = 'stem.training.gradient-conflict.v1';
    const gates = 'stem.training.head-gates.hard-concrete.v1';
    const options = { observesOnly: (type: string) => type === meter };
    const mtl = { seed: 1, tasks: { pos: { type: 'p' }, dep: { type: 'd' } } };
    const metered = { ...mtl, trainingComponents: { conflict: { type: meter } } };
    expect(runStreamIdentity(metered, options)).toBe(runStreamIdentity(mtl, options));
    expect(runStreamIdentity(metered)).not.toBe(runStreamIdentity(mtl));
    const pruned = {
      ...mtl,
      trainingComponents: { conflict: { type: meter }, pruning: { type: gates } },
    };
    expect(runStreamIdentity(pruned, options)).toBe(
      `tasks=dep:d,pos:p;components=pruning:${gates}`,
    );
    // A task is never left out, whatever its type.
    expect(runStreamIdentity({ seed: 1, tasks: { m: { type: meter } } }, options)).toBe(
      `tasks=m:${meter}`,
    );
  });

  it("reads observesOnly from the registry the run's container sees", async () => {
    const registry = new ComponentRegistry();
    const provider = { name: 'test', version: '0.0.0' };
    for (const [id, observesOnly] of [
      ['test.training.meter.v1', true],
      ['test.training.gates.v1', false],
    ] as const)
      registry.register(
        'training',
        {
          id,
          description: id,
          observesOnly,
          configSchema: (zod) => zod.object({}),
          create: () => {
            throw new Error('not built here');
          },
        },
        provider,
      );
    const parent = createProcessContainer({ registry, tf: tf as never, backend });
    const draw = (components: Record<string, { type: string }>) =>
      createRunContainer(parent, {
        config: { seed: 3, tasks: { pos: { type: 'p' } }, trainingComponents: components } as never,
      })
        .resolve<SeededRandom>(TOKENS.random)
        .next();
    expect(draw({ conflict: { type: 'test.training.meter.v1' } })).toBe(draw({}));
    expect(draw({ pruning: { type: 'test.training.gates.v1' } })).not.toBe(draw({}));
  });
});
