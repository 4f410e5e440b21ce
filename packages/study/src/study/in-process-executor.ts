import { existsSync } from 'node:fs';
import { mkdir, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { writePruningSummary } from '@stem/analyzer-pruning';
import { probeResultFile, type ProbeResult } from '@stem/analyzer-probe';
import {
  ConfigError,
  SeededRandom,
  disposeExperiment,
  loadExperimentConfig,
  loadRun,
  trainRun,
  writeJsonAtomic,
  type Encoder,
  type RunEnvironment,
  type Sentence,
} from '@stem/core';
import { probeEncoder } from './probe-encoder.js';
import { ProbeSentences } from './probe-sentences.js';
import { runConfigFile, runConfigYaml, runExperimentConfig } from './run-config.js';
import { errorInStudyConfig } from './run-config-origin.js';
import { dataNeeds, prepareData } from './study-data.js';
import type { StudyExecutor, StudyScope, UnitEvents } from './study-executor.js';
import type { GridProbe, GridRun } from './study-grid.js';
import type { StudySession } from './study-session.js';
import { RESULTS_FILE } from './study-state.js';
import { summarisePruningRun } from './summarise-pruning.js';

export interface InProcessExecutorOptions {
  session: StudySession;
  /**
   * A run environment (core's `RunEnvironment`: container, versions, backend) whose trainer
   * progress, log and warnings go to the given hooks. The CLI adds its own versions and
   * command line; the hooks lead to `runStudy`'s progress events.
   */
  environment(hooks: Required<Pick<RunEnvironment, 'progress' | 'log' | 'warn'>>): RunEnvironment;
}

/**
 * Runs every unit in this process, one after the other (today's `stem study`): core's
 * `trainRun` for a run (a new one in its fixed directory, an interrupted one resumed from its
 * last checkpoint), the pruning summary `stem prune` writes, and the registered probes.
 */
export function inProcessExecutor(options: InProcessExecutorOptions): StudyExecutor {
  // Test sentences are read once per study and process.
  const sentences = new WeakMap<StudyScope, ProbeSentences>();
  const sentencesOf = (scope: StudyScope) => {
    let cached = sentences.get(scope);
    if (!cached) sentences.set(scope, (cached = new ProbeSentences(options.session, scope.config)));
    return cached;
  };
  return {
    prepare: (scope, events) =>
      prepareData(dataNeeds(scope.config, scope.grid.tasks), (line) => events.log(line)),
    async execute(unit, scope, events) {
      if (unit.run) {
        await events.started(unit.run.id);
        const updates = await executeRun(options, scope, unit.run, events);
        await events.finished(unit.run.id, updates !== undefined ? { updates } : {});
      }
      for (const probe of unit.probes) {
        await events.started(probe.id);
        await executeProbe(options.session, scope, probe, sentencesOf(scope), events);
        await events.finished(probe.id);
      }
    },
  };
}

/** One training or pruning run, started, resumed or (pruning) only summarised. */
async function executeRun(
  options: InProcessExecutorOptions,
  scope: StudyScope,
  run: GridRun,
  events: UnitEvents,
): Promise<number | undefined> {
  const runDirectory = join(scope.directory, run.directory);
  const environment = options.environment({
    progress: (status) => events.training(status),
    log: (message) => events.log(message),
    warn: (message) => events.warn(message),
  });
  let updates: number | undefined;
  if (!existsSync(join(runDirectory, RESULTS_FILE))) {
    if (existsSync(join(runDirectory, 'manifest.json'))) {
      // Interrupted: train's resume (from the last checkpoint, or from step 0 without one).
      updates = (await trainRun(environment, { resumeFrom: runDirectory })).result.steps;
    } else {
      const configFile = await writeRunConfig(scope, run);
      // Leftovers of an attempt killed before its manifest was written.
      await rm(join(runDirectory, 'checkpoints'), { recursive: true, force: true });
      await rm(join(runDirectory, 'metrics.ndjson'), { force: true });
      const config = await loadExperimentConfig(configFile, options.session.registry, {
        checkPaths: true,
      }).catch((error: unknown) => {
        // The user wrote the study config, not this file: point at the study's field.
        if (!(error instanceof ConfigError) || !scope.source) throw error;
        throw errorInStudyConfig(error, scope.source, scope.config, run, configFile);
      });
      updates = (await trainRun(environment, { config }, { directory: runDirectory })).result.steps;
    }
  }
  if (run.kind === 'prune') {
    events.log('scoring the best checkpoint with the gates applied and with every head open');
    await writePruningSummary(runDirectory, await summarisePruningRun(environment, runDirectory));
  }
  return updates;
}

async function writeRunConfig(scope: StudyScope, run: GridRun): Promise<string> {
  const file = runConfigFile(scope.directory, run);
  await mkdir(join(scope.directory, run.directory), { recursive: true });
  const yaml = runConfigYaml(runExperimentConfig(scope.config, run, scope.directory), run);
  await writeFile(file, yaml);
  return file;
}

async function executeProbe(
  session: StudySession,
  scope: StudyScope,
  probe: GridProbe,
  data: ProbeSentences,
  events: UnitEvents,
): Promise<void> {
  const { config } = scope;
  const split = config.probes.split;
  const fit = config.probes.fit;
  const sentences = new Map<string, Sentence[]>();
  for (const name of new Set([split, ...(fit ? [fit] : [])]))
    sentences.set(name, await data.of(probe.task, name));
  let encoder: Encoder;
  let release: () => void;
  if (probe.run) {
    const runDirectory = join(scope.directory, 'runs', probe.run);
    const { built } = await loadRun({ container: session.container }, runDirectory, {
      splits: [],
    });
    encoder = built.encoder;
    release = () => disposeExperiment(built);
  } else {
    encoder = await staticEncoder(session, scope, probe.seed);
    release = () => encoder.dispose();
  }
  try {
    const result: ProbeResult = await probeEncoder(
      session,
      encoder,
      sentences,
      { task: probe.task, split, fit, batchSentences: config.probes.batchSentences },
      (message) => events.log(message),
    );
    result.source = {
      model: probe.run ? join('runs', probe.run) : 'static encoder',
      kind: probe.run ? 'run' : 'static',
      dataset: (config.tasks[probe.task]!.dataset as { type: string }).type,
    };
    const file = join(scope.directory, probe.file);
    if (!file.endsWith(probeResultFile(probe.task))) throw new Error(`bad probe file ${file}`);
    await writeJsonAtomic(file, result);
  } finally {
    release();
  }
}

/**
 * The study's encoder before fine-tuning: its pretrained weights, or for a random encoder the
 * initialisation of the probe's seed, drawn as a run of that seed draws it (core forks the
 * run's seed by the config path, `encoder`).
 */
async function staticEncoder(
  session: StudySession,
  scope: StudyScope,
  seed: number | undefined,
): Promise<Encoder> {
  const section = scope.config.encoder;
  const component = session.registry.require('encoder', section.type);
  const { type: _type, ...fields } = component.schema.parse(section) as { type: string };
  return component.registration.create(fields, {
    tf: session.tf,
    random: new SeededRandom(seed ?? scope.grid.seeds[0] ?? 1).fork('encoder'),
    container: session.container,
  }) as Promise<Encoder>;
}
