import { existsSync } from 'node:fs';
import { mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { isDeepStrictEqual } from 'node:util';
import { overlapOfRuns, writePruningSummary } from '@stem/analyzer-pruning';
import { probeResultFile, type ProbeResult } from '@stem/analyzer-probe';
import {
  SeededRandom,
  disposeExperiment,
  loadExperimentConfig,
  loadRun,
  trainRun,
  writeJsonAtomic,
  type DatasetReader,
  type Encoder,
  type RunEnvironment,
  type Sentence,
  type Split,
  type TrainingProgress,
} from '@stem/core';
import { parse as parseYaml } from 'yaml';
import { probeEncoder } from '../probe/probe-encoder.js';
import { collectStudy, type Study } from '../report/study-files.js';
import { renderReport, type ReportFiles } from '../report/render-report.js';
import { studyHeadline, type StudyHeadline } from '../report/study-headline.js';
import { summarisePruningRun } from '../run/summarise-pruning.js';
import type { StemSession } from '../session/stem-session.js';
import { computePath } from '../run/compute-path.js';
import { runConfigYaml, runExperimentConfig } from './run-config.js';
import type { StudyConfig } from './study-config.js';
import { dataNeeds, prepareData } from './study-data.js';
import type { GridProbe, GridRun, StudyGrid } from './study-grid.js';
import { writeStudyManifest, type StepRecord, type StudyManifest } from './study-manifest.js';
import { estimatedSteps, stepCap } from './estimated-steps.js';
import { StudyProgress } from './study-progress.js';

export interface StudyContext {
  session: StemSession;
  config: StudyConfig;
  grid: StudyGrid;
  /** Absolute study directory. */
  directory: string;
  manifest: StudyManifest;
  /** A run environment whose trainer progress goes to `progress` (and to the per-run line). */
  environment(progress: (status: TrainingProgress) => void): RunEnvironment;
  log(line: string): void;
  warn(message: string): void;
}

export interface StudyOutcome {
  directory: string;
  report: ReportFiles;
  study: Study;
  headline: StudyHeadline;
  /** Steps run by this process / found finished on disk. */
  ran: string[];
  skipped: string[];
  seconds: number;
}

const RESULTS_FILE = 'results.json';
const GATES_FILE = join('pruning', 'gates.json');
const OVERLAP_DIRECTORY = join('analyses', 'overlap');
const REPORT_DIRECTORY = 'report';

/** A run is finished only when its results are on disk: results.json, and gates for pruning. */
export function runFinished(studyDirectory: string, run: GridRun): boolean {
  const directory = join(studyDirectory, run.directory);
  return run.kind === 'prune'
    ? existsSync(join(directory, GATES_FILE))
    : existsSync(join(directory, RESULTS_FILE));
}

export function probeFinished(studyDirectory: string, probe: GridProbe): boolean {
  return existsSync(join(studyDirectory, probe.file));
}

/**
 * Runs what is missing of a study, in grid order: training and pruning runs (a run with a
 * manifest but no results is resumed from its last checkpoint; one without is started
 * afresh in its fixed directory), probes, the overlap of the STL-DP runs and the report.
 * Finished runs are never touched. The study manifest is rewritten after every step.
 */
export async function executeStudy(context: StudyContext): Promise<StudyOutcome> {
  const { directory, grid, manifest, config } = context;
  await mkdir(directory, { recursive: true });
  const planned = new Map<string, number>();
  const caps = new Map<string, number>();
  for (const run of grid.runs) {
    if (runFinished(directory, run)) continue;
    const experiment = runExperimentConfig(config, run, directory);
    planned.set(run.id, estimatedSteps(experiment));
    const cap = stepCap(experiment);
    if (cap !== undefined) caps.set(run.id, cap);
  }
  const total = grid.runs.length + grid.probes.length + 2;
  const progress = new StudyProgress(
    total,
    planned,
    (line) => context.log(line),
    caps,
    undefined,
    undefined,
    computePath(context.session.backend),
  );
  const ran: string[] = [];
  const skipped: string[] = [];
  const record = async (id: string, step: StepRecord) => {
    manifest.steps[id] = step;
    await writeStudyManifest(directory, manifest);
  };
  // The manifest first mirrors what is on disk.
  // A step finished on disk keeps what an earlier process recorded of it (start, end, seconds).
  const mirrored = (id: string, record: StepRecord): StepRecord => {
    const earlier = manifest.steps[id];
    return record.state === 'finished' && earlier?.state === 'finished'
      ? { ...earlier, ...record }
      : record;
  };
  // Steps of this grid only (an earlier, wider grid's other steps are not this run's).
  const gridSteps = new Set([...grid.runs.map((r) => r.id), ...grid.probes.map((p) => p.id)]);
  for (const id of Object.keys(manifest.steps))
    if (!gridSteps.has(id) && id !== 'overlap' && id !== 'report') delete manifest.steps[id];
  for (const run of grid.runs)
    manifest.steps[run.id] = mirrored(run.id, {
      kind: run.kind,
      path: run.directory,
      state: runFinished(directory, run) ? 'finished' : 'pending',
    });
  for (const probe of grid.probes)
    manifest.steps[probe.id] = mirrored(probe.id, {
      kind: 'probe',
      path: probe.file,
      state: probeFinished(directory, probe) ? 'finished' : 'pending',
    });
  await writeStudyManifest(directory, manifest);

  const pending = grid.runs.filter((r) => !runFinished(directory, r));
  if (pending.length > 0) await prepareData(dataNeeds(config, grid.tasks), context.log);

  const data = new ProbeSentences(context);
  const runProbe = async (probe: GridProbe) => {
    if (probeFinished(directory, probe)) {
      skipped.push(probe.id);
      progress.finished(probe.id);
      return;
    }
    const startedAt = new Date();
    progress.start(probe.id, `probe ${probe.task} of ${probe.run ?? 'the static encoder'}`);
    await executeProbe(context, probe, data);
    await record(probe.id, {
      kind: 'probe',
      path: probe.file,
      state: 'finished',
      startedAt: startedAt.toISOString(),
      finishedAt: new Date().toISOString(),
      seconds: (Date.now() - startedAt.getTime()) / 1000,
    });
    ran.push(probe.id);
    progress.finished(probe.id);
  };
  // Each run is followed by its probes, so a finished run is finished with everything that
  // needs its checkpoint: a study directory copied without checkpoints (docs/, another
  // machine) resumes with nothing lost. The static encoder's probes come after the runs.
  const probesOf = (run: string) => grid.probes.filter((p) => p.run === run);

  for (const run of grid.runs) {
    if (runFinished(directory, run)) {
      await warnIfConfigChanged(context, run);
      skipped.push(run.id);
      progress.finished(run.id);
      for (const probe of probesOf(run.id)) await runProbe(probe);
      continue;
    }
    const startedAt = new Date();
    progress.start(run.id, `${run.directory} (${run.kind === 'prune' ? 'prune' : 'train'})`);
    await record(run.id, {
      kind: run.kind,
      path: run.directory,
      state: 'running',
      startedAt: startedAt.toISOString(),
    });
    try {
      const updates = await executeRun(context, run, (status) => progress.training(status));
      await record(run.id, {
        kind: run.kind,
        path: run.directory,
        state: 'finished',
        startedAt: startedAt.toISOString(),
        finishedAt: new Date().toISOString(),
        seconds: (Date.now() - startedAt.getTime()) / 1000,
        ...(updates !== undefined ? { updates } : {}),
      });
    } catch (error) {
      await record(run.id, {
        kind: run.kind,
        path: run.directory,
        state: 'failed',
        startedAt: startedAt.toISOString(),
        error: (error as Error).message,
      });
      throw error;
    }
    ran.push(run.id);
    progress.finished(run.id);
    for (const probe of probesOf(run.id)) await runProbe(probe);
  }
  for (const probe of grid.probes.filter((p) => p.run === undefined)) await runProbe(probe);

  // Derived from finished results, so recomputed every time (the same inputs give the same files).
  progress.start('overlap', 'stem analyze overlap');
  const overlap = await analyseOverlap(context);
  if (overlap) await record('overlap', { kind: 'overlap', path: overlap, state: 'finished' });
  progress.finished('overlap');
  progress.start('report', 'stem report');
  const study = await collectStudy(reportPaths(context, overlap));
  for (const problem of study.problems) context.warn(problem);
  const headline = studyHeadline(study);
  const report = await renderReport(study, join(directory, REPORT_DIRECTORY), headline);
  manifest.report = join(REPORT_DIRECTORY, 'index.html');
  await record('report', { kind: 'report', path: manifest.report, state: 'finished' });
  progress.finished('report');
  return {
    directory,
    report,
    study,
    headline,
    ran,
    skipped,
    seconds: progress.elapsedSeconds(),
  };
}

/** One training or pruning run, started, resumed or (pruning) only summarised. */
async function executeRun(
  context: StudyContext,
  run: GridRun,
  onProgress: (status: TrainingProgress) => void,
): Promise<number | undefined> {
  const runDirectory = join(context.directory, run.directory);
  const environment = context.environment(onProgress);
  let updates: number | undefined;
  if (!existsSync(join(runDirectory, RESULTS_FILE))) {
    if (existsSync(join(runDirectory, 'manifest.json'))) {
      // Interrupted: train's resume (from the last checkpoint, or from step 0 without one).
      updates = (await trainRun(environment, { resumeFrom: runDirectory })).result.steps;
    } else {
      const configFile = await writeRunConfig(context, run);
      // Leftovers of an attempt killed before its manifest was written.
      await rm(join(runDirectory, 'checkpoints'), { recursive: true, force: true });
      await rm(join(runDirectory, 'metrics.ndjson'), { force: true });
      const config = await loadExperimentConfig(configFile, context.session.registry, {
        checkPaths: true,
      });
      updates = (await trainRun(environment, { config }, { directory: runDirectory })).result.steps;
    }
  }
  if (run.kind === 'prune') {
    context.log('scoring the best checkpoint with the gates applied and with every head open');
    await writePruningSummary(runDirectory, await summarisePruningRun(environment, runDirectory));
  }
  return updates;
}

function configFileOf(context: StudyContext, run: GridRun): string {
  return join(context.directory, run.directory, 'config.yaml');
}

async function writeRunConfig(context: StudyContext, run: GridRun): Promise<string> {
  const file = configFileOf(context, run);
  await mkdir(join(context.directory, run.directory), { recursive: true });
  const yaml = runConfigYaml(runExperimentConfig(context.config, run, context.directory), run);
  await writeFile(file, yaml);
  return file;
}

/**
 * A finished run is kept even when the study config now asks for something else: say so.
 * Where the study directory lives (`output.directory`) is not part of the experiment, so a
 * study moved or copied elsewhere (the committed docs/study-cpu) resumes without warnings.
 */
async function warnIfConfigChanged(context: StudyContext, run: GridRun): Promise<void> {
  const file = configFileOf(context, run);
  if (!existsSync(file)) return;
  const experiment = ({ output: _, ...rest }: Record<string, unknown>) => rest;
  let before: Record<string, unknown> | undefined;
  try {
    before = parseYaml(await readFile(file, 'utf8')) as Record<string, unknown>;
  } catch {
    before = undefined; // unreadable: treated as changed
  }
  // Through JSON, as YAML would: keys whose value is undefined are not written.
  const now = JSON.parse(
    JSON.stringify(runExperimentConfig(context.config, run, context.directory)),
  ) as Record<string, unknown>;
  if (!before || !isDeepStrictEqual(experiment(before), experiment(now)))
    context.warn(
      `${run.directory} finished with a different config than the study config gives now; it is kept (delete the folder to run it again)`,
    );
}

/** Test sentences of each task (and the fit split), read once per study process. */
class ProbeSentences {
  private readonly cache = new Map<string, Sentence[]>();
  constructor(private readonly context: StudyContext) {}

  async of(task: string, split: Split): Promise<Sentence[]> {
    const key = `${task}/${split}`;
    const cached = this.cache.get(key);
    if (cached) return cached;
    const { session, config } = this.context;
    const section = config.tasks[task]!.dataset as { type: string };
    const component = session.registry.require('dataset', section.type);
    const { type: _type, ...fields } = component.schema.parse(section) as { type: string };
    const reader = (await component.registration.create(fields, {
      tf: session.tf,
      random: new SeededRandom(0),
      container: session.container,
    })) as DatasetReader;
    const all = await reader.read(split);
    const sentences = config.probes.limit ? all.slice(0, config.probes.limit) : all;
    this.cache.set(key, sentences);
    return sentences;
  }
}

async function executeProbe(
  context: StudyContext,
  probe: GridProbe,
  data: ProbeSentences,
): Promise<void> {
  const { session, config } = context;
  const split = config.probes.split;
  const fit = config.probes.fit;
  const sentences = new Map<string, Sentence[]>();
  for (const name of new Set([split, ...(fit ? [fit] : [])]))
    sentences.set(name, await data.of(probe.task, name));
  let encoder: Encoder;
  let release: () => void;
  if (probe.run) {
    const runDirectory = join(context.directory, 'runs', probe.run);
    const { built } = await loadRun({ container: session.container }, runDirectory, {
      splits: [],
    });
    encoder = built.encoder;
    release = () => disposeExperiment(built);
  } else {
    encoder = await staticEncoder(context, probe.seed);
    release = () => encoder.dispose();
  }
  try {
    const result: ProbeResult = await probeEncoder(
      session,
      encoder,
      sentences,
      { task: probe.task, split, fit, batchSentences: config.probes.batchSentences },
      (message) => context.log(message),
    );
    result.source = {
      model: probe.run ? join('runs', probe.run) : 'static encoder',
      kind: probe.run ? 'run' : 'static',
      dataset: (config.tasks[probe.task]!.dataset as { type: string }).type,
    };
    const file = join(context.directory, probe.file);
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
async function staticEncoder(context: StudyContext, seed: number | undefined): Promise<Encoder> {
  const { session, config, grid } = context;
  const section = config.encoder;
  const component = session.registry.require('encoder', section.type);
  const { type: _type, ...fields } = component.schema.parse(section) as { type: string };
  return component.registration.create(fields, {
    tf: session.tf,
    random: new SeededRandom(seed ?? grid.seeds[0] ?? 1).fork('encoder'),
    container: session.container,
  }) as Promise<Encoder>;
}

/** `stem analyze overlap` over the STL-DP runs; the folder of overlap.json, or undefined. */
async function analyseOverlap(context: StudyContext): Promise<string | undefined> {
  const runs = context.grid.runs.filter((r) => context.grid.overlapRuns.includes(r.id));
  if (runs.length === 0) return undefined;
  const output = join(context.directory, OVERLAP_DIRECTORY);
  // The sharing test's permutations come from the study's first seed, on their own stream.
  const seed = context.grid.seeds[0] ?? 1;
  try {
    await overlapOfRuns(
      runs.map((r) => join(context.directory, r.directory)),
      output,
      { random: new SeededRandom(seed).fork('overlap/sharing'), seed },
    );
  } catch (error) {
    context.warn(`stem analyze overlap: ${(error as Error).message}`);
    return undefined;
  }
  return OVERLAP_DIRECTORY;
}

/**
 * What the report reads, in a fixed order (probe tables compare columns in this order:
 * static, STL, pairs, MTL): the static probes, the training runs (scores and their probes),
 * the pruning runs (gates; their scores show as STL-DP / MTL-DP) and the overlap.
 */
function reportPaths(context: StudyContext, overlap: string | undefined): string[] {
  const { directory, grid } = context;
  const paths: string[] = [];
  const staticProbes = grid.probes.filter((p) => !p.run).map((p) => join(directory, p.file));
  paths.push(...staticProbes.filter((p) => existsSync(p)));
  for (const setting of ['stl', 'pairs', 'mtl5'] as const)
    for (const run of grid.runs.filter((r) => r.setting === setting))
      paths.push(join(directory, run.directory));
  for (const run of grid.runs.filter((r) => r.kind === 'prune'))
    paths.push(join(directory, run.directory));
  if (overlap) paths.push(join(directory, overlap, 'overlap.json'));
  return paths.map((p) => resolve(p));
}
