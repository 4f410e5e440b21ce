import { fileURLToPath } from 'node:url';
import * as tf from '@tensorflow/tfjs';
import {
  ComponentFactory,
  ComponentRegistry,
  CORE_VERSION,
  RunDirectory,
  buildExperimentSchema,
  createProcessContainer,
  createRunContainer,
  registerPlugins,
  type ExperimentConfig,
} from '@stem/core';
import { checkRegistration } from '@stem/testing';
import { beforeAll, describe, expect, it } from 'vitest';
import registerHook from '../src/hooks/register.js';
import {
  BERT_ATTENTION_NAMES,
  DEFAULT_MEASURE_EVERY,
  DEFAULT_PROBE_SENTENCES,
  GRADIENT_CONFLICT_ID,
} from '../src/conflict-config.js';
import { GradientConflictMeter } from '../src/gradient-conflict-meter.js';

const packageDirectory = fileURLToPath(new URL('..', import.meta.url));

beforeAll(async () => {
  await tf.setBackend('cpu');
});

describe('@stem/analyzer-conflict registration', () => {
  it('passes the registration conformance checks', async () => {
    const report = await checkRegistration({ packageDirectory, hook: registerHook });
    expect(report.components.map((c) => [c.kind, c.id])).toEqual([
      ['training', GRADIENT_CONFLICT_ID],
    ]);
  });

  it('is configured under trainingComponents with its defaults, and rejects bad fields', async () => {
    const registry = new ComponentRegistry();
    await registerPlugins(
      [
        {
          name: '@stem/analyzer-conflict',
          version: '0.1.0',
          plugin: await registerHook({ coreVersion: CORE_VERSION }),
        },
      ],
      registry,
      CORE_VERSION,
      tf,
    );
    const sections = buildExperimentSchema(registry).shape.trainingComponents;
    const parsed = sections.parse({ conflict: { type: GRADIENT_CONFLICT_ID } });
    expect(parsed.conflict).toEqual({
      type: GRADIENT_CONFLICT_ID,
      every: DEFAULT_MEASURE_EVERY,
      probeSentences: DEFAULT_PROBE_SENTENCES,
      includeGates: true,
      weights: BERT_ATTENTION_NAMES,
    });
    expect(sections.safeParse({ conflict: { type: GRADIENT_CONFLICT_ID, every: 0 } }).success).toBe(
      false,
    );
    // A weight template without the layer placeholder cannot name every layer's projection.
    expect(
      sections.safeParse({
        conflict: { type: GRADIENT_CONFLICT_ID, weights: { query: 'encoder/attention.q' } },
      }).success,
    ).toBe(false);

    const processContainer = createProcessContainer({
      registry,
      tf,
      backend: {
        requested: 'js',
        device: 'js',
        backend: 'cpu',
        package: 'cpu',
        tfjsVersion: tf.version.tfjs,
        skipped: [],
      },
    });
    const config = {
      seed: 5,
      tasks: { pos: { type: 'stem.task.pos.softmax.v1' } },
      trainingComponents: { conflict: { type: GRADIENT_CONFLICT_ID } },
    } as unknown as ExperimentConfig;
    const run = new RunDirectory('/tmp/stem-conflict-registration');
    const container = createRunContainer(processContainer, { config, directory: run });
    const meter = await container.resolve(ComponentFactory).trainingComponent(
      parsed.conflict as { type: string },
      {
        name: 'conflict',
        encoderShape: { layers: 2, heads: 2, hiddenSize: 4, maxPositions: 16 },
        tasks: [{ name: 'pos', type: 'stem.task.pos.softmax.v1' }],
      },
      'trainingComponents.conflict',
    );
    expect(meter).toBeInstanceOf(GradientConflictMeter);
    // Measurements go to the run's analyses/conflict/.
    expect((meter as GradientConflictMeter).outputDirectory).toBe(run.analysis('conflict'));
    // It trains nothing and saves nothing.
    expect(meter.trainableVariables()).toEqual([]);
    expect(meter.weights()).toEqual({});
    expect(meter.report?.()).toEqual({ lastUpdate: null });
    meter.dispose();
  });
});
