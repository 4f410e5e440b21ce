import { existsSync } from 'node:fs';
import { readdir, readFile, stat } from 'node:fs/promises';
import { basename, dirname, join, resolve } from 'node:path';
import { PROBE_RESULT_FORMAT, type ProbeResult } from '@stem/analyzer-probe';
import { undecidedGateCount } from '@stem/analyzer-pruning';
import { describeEncoder, locateRelative, type EncoderDescription } from './study-encoder.js';

/** A finished (or running) training run: its manifest and, when present, results.json. */
export interface RunEntry {
  directory: string;
  name: string;
  seed: number | undefined;
  tasks: string[];
  /** Primary test (else dev) score per task, as a fraction or whatever the metric reports. */
  scores: Record<string, { metric: string; value: number; split: 'test' | 'dev' }>;
  /** A pruning run (head gates among its training components, or pruning/gates.json). */
  pruned?: boolean;
  /** The encoder its config names (absent when the manifest has no encoder section). */
  encoder?: EncoderDescription;
}

export interface ProbeEntry {
  file: string;
  /** Column name: the run's folder for run results, else the folder holding the file. */
  name: string;
  result: ProbeResult;
  /** The run it probed: the run holding it (<run>/analyses/<name>/), else `source.model` of a run. */
  runDirectory?: string;
}

/**
 * Gates of a pruning run (`<run>/pruning/gates.json`, written by `stem prune`). Read
 * tolerantly: `final.gates` or `gates` ([layers][heads] numbers) is all that is required.
 */
export interface GatesEntry {
  file: string;
  name: string;
  tasks: string[];
  seed: number | undefined;
  gates: number[][];
  keptHeads: number;
  /**
   * Gates strictly between 0 and 1 at the final evaluation: the run stopped before its hard
   * concrete gates decided, so its kept set is not a pruning result (0 = converged).
   */
  undecided: number;
}

/** `stem analyze overlap`'s overlap.json (tolerant: mean gates and correlation, if present). */
export interface OverlapEntry {
  file: string;
  meanGates?: number[][];
  perTask: Array<{
    task: string;
    meanGates: number[][];
    keptFraction?: number;
    keptFractionPerRun?: number[];
    /** [layers][heads] fraction of the task's runs that kept the head. */
    keptByRuns?: number[][];
    /** [layers][heads][r, g, b] in [0, 1]: channel k = 1 - gate of run k (black = kept by all). */
    rgb?: number[][][];
  }>;
  correlation?: { tasks: string[]; r: Array<Array<number | null>> };
  /** Heads claimed by every task compared (0-based layer and head), and the rule in words. */
  stemCells?: Array<{ layer: number; head: number }>;
  stemCellDefinition?: string;
  /** [layers][heads] number of tasks claiming the head (`claimedByTasks`), when present. */
  claimedByTasks?: number[][];
}

/**
 * One gradient-conflict measurement of an MTL run (`<run>/analyses/conflict/update-<n>.json`,
 * written by `@stem/analyzer-conflict`): the per-head numbers the report averages.
 */
export interface ConflictEntry {
  file: string;
  /** The run directory holding it. */
  runDirectory: string;
  update: number;
  tasks: string[];
  /** Task pairs `"<a>|<b>"`. */
  pairs: string[];
  /** [layer][head]: fraction of tasks against the summed gradient, and cosine per pair. */
  heads: Array<Array<{ conflict: number; cosine: Record<string, number | null> }>>;
}

/** Per-task learning floors from a study's study.json (its config's `learningFloors`). */
export interface StudyFloors {
  floors: Record<string, number>;
  file: string;
}

export interface Study {
  runs: RunEntry[];
  probes: ProbeEntry[];
  gates: GatesEntry[];
  overlaps: OverlapEntry[];
  /** Gradient-conflict measurements of MTL runs (absent or empty: the study measured none). */
  conflicts?: ConflictEntry[];
  /** From the study.json in or above the given paths, when its config sets any. */
  learningFloors?: StudyFloors;
  /** Files that looked relevant but could not be used, with the reason. */
  problems: string[];
}

const KEEP_THRESHOLD = 1e-3;
const MAX_DEPTH = 5;
const STUDY_FILE = 'study.json';
/** `stem study` hands the report <study>/runs/<run> and <study>/analyses/overlap/overlap.json. */
const STUDY_FILE_LEVELS_ABOVE = 3;

/**
 * Everything a report can show, found under the given paths: run directories
 * (manifest.json), probe results (probe-*.json), pruning gates (pruning/gates.json) and
 * overlap analyses (overlap.json). Paths may be files or folders (searched 5 levels deep,
 * skipping checkpoints and node_modules). The learning floors come from the first study.json
 * found in a given folder or up to three folders above a given path.
 */
export async function collectStudy(paths: readonly string[]): Promise<Study> {
  const study: Study = { runs: [], probes: [], gates: [], overlaps: [], problems: [] };
  const seen = new Set<string>();
  const visitFile = async (file: string) => {
    if (seen.has(file)) return;
    seen.add(file);
    const name = basename(file);
    try {
      if (name === 'manifest.json') study.runs.push(await readRun(dirname(file)));
      else if (/^probe-[a-z]+\.json$/.test(name)) {
        const entry = await readProbe(file);
        if (entry) study.probes.push(entry);
        else study.problems.push(`${file}: not a ${PROBE_RESULT_FORMAT} result`);
      } else if (name === 'gates.json') {
        const entry = await readGates(file);
        if (entry) study.gates.push(entry);
        else study.problems.push(`${file}: no [layers][heads] gates in it`);
      } else if (name === 'overlap.json') study.overlaps.push(await readOverlap(file));
      else if (isConflictFile(file)) {
        const entry = await readConflict(file);
        if (entry) (study.conflicts ??= []).push(entry);
        else study.problems.push(`${file}: not a gradient-conflict measurement`);
      } else if (name === STUDY_FILE && !study.learningFloors) {
        const floors = await readStudyFloors(file);
        if (floors) study.learningFloors = floors;
      }
    } catch (error) {
      study.problems.push(`${file}: ${(error as Error).message}`);
    }
  };
  const walk = async (path: string, depth: number): Promise<void> => {
    const info = await stat(path);
    if (info.isFile()) return visitFile(path);
    if (depth > MAX_DEPTH) return;
    for (const entry of (await readdir(path, { withFileTypes: true })).sort((a, b) =>
      a.name.localeCompare(b.name),
    )) {
      if (entry.isDirectory()) {
        if (['checkpoints', 'node_modules', '.git', 'predictions'].includes(entry.name)) continue;
        await walk(join(path, entry.name), depth + 1);
      } else if (entry.isFile()) await visitFile(join(path, entry.name));
    }
  };
  for (const path of paths) {
    if (!existsSync(path)) {
      study.problems.push(`${path}: no such file or folder`);
      continue;
    }
    await walk(path, 0);
  }
  for (const path of paths) {
    if (study.learningFloors) break;
    for (
      let level = 1, folder = dirname(resolve(path));
      level <= STUDY_FILE_LEVELS_ABOVE;
      level++
    ) {
      const file = join(folder, STUDY_FILE);
      if (existsSync(file)) {
        const floors = await readStudyFloors(file).catch(() => undefined);
        if (floors) study.learningFloors = floors;
        break;
      }
      if (dirname(folder) === folder) break;
      folder = dirname(folder);
    }
  }
  return study;
}

/** `learningFloors` of a study.json's config (numbers only), or undefined when it sets none. */
async function readStudyFloors(file: string): Promise<StudyFloors | undefined> {
  const config = (await readJson(file))['config'] as { learningFloors?: unknown } | undefined;
  const given = config?.learningFloors;
  if (!given || typeof given !== 'object') return undefined;
  const floors = Object.fromEntries(
    Object.entries(given as Record<string, unknown>).filter(
      (entry): entry is [string, number] => typeof entry[1] === 'number',
    ),
  );
  return Object.keys(floors).length > 0 ? { floors, file } : undefined;
}

async function readJson(file: string): Promise<Record<string, unknown>> {
  return JSON.parse(await readFile(file, 'utf8')) as Record<string, unknown>;
}

async function readRun(directory: string): Promise<RunEntry> {
  const manifest = await readJson(join(directory, 'manifest.json'));
  const config = (manifest['config'] ?? {}) as {
    tasks?: Record<string, unknown>;
    encoder?: unknown;
    trainingComponents?: Record<string, { type?: unknown }>;
  };
  const pruned =
    Object.values(config.trainingComponents ?? {}).some((c) =>
      String(c?.type ?? '').includes('head-gates'),
    ) || existsSync(join(directory, 'pruning', 'gates.json'));
  const entry: RunEntry = {
    directory,
    name: String(manifest['name'] ?? basename(directory)),
    seed: typeof manifest['seed'] === 'number' ? manifest['seed'] : undefined,
    tasks: Object.keys(config.tasks ?? {}),
    scores: {},
    pruned,
    ...(config.encoder ? { encoder: await describeEncoder(config.encoder, directory) } : {}),
  };
  const resultsFile = join(directory, 'results.json');
  if (existsSync(resultsFile)) {
    const results = await readJson(resultsFile);
    for (const split of ['dev', 'test'] as const) {
      const byTask = (results[split] ?? {}) as Record<
        string,
        { primary?: string; scores?: Record<string, number> }
      >;
      for (const [task, metric] of Object.entries(byTask)) {
        const value = metric.primary ? metric.scores?.[metric.primary] : undefined;
        if (typeof value === 'number' && (split === 'test' || !entry.scores[task]))
          entry.scores[task] = { metric: metric.primary as string, value, split };
      }
    }
  }
  return entry;
}

async function readProbe(file: string): Promise<ProbeEntry | undefined> {
  const result = (await readJson(file)) as unknown as ProbeResult;
  if (result.format !== PROBE_RESULT_FORMAT || !Array.isArray(result.labels)) return undefined;
  const folder = basename(dirname(file));
  // <run>/analyses/<analysis>/probe-x.json is named after the run (and the analysis unless
  // it is stem probe's default folder, "probe").
  const inRun = basename(dirname(dirname(file))) === 'analyses';
  const runName = basename(dirname(dirname(dirname(file))));
  const name = !inRun ? folder : folder === 'probe' ? runName : `${runName} ${folder}`;
  // stem study names the run relative to the study folder: look above the file too.
  const runDirectory = inRun
    ? dirname(dirname(dirname(file)))
    : result.source?.kind === 'run' && typeof result.source.model === 'string'
      ? locateRelative(result.source.model, dirname(file), 'manifest.json')
      : undefined;
  return { file, name, result, ...(runDirectory ? { runDirectory } : {}) };
}

function isMatrix(value: unknown): value is number[][] {
  return (
    Array.isArray(value) &&
    value.length > 0 &&
    value.every((row) => Array.isArray(row) && row.every((v) => typeof v === 'number'))
  );
}

async function readGates(file: string): Promise<GatesEntry | undefined> {
  const json = await readJson(file);
  const final = json['final'] as Record<string, unknown> | undefined;
  const gates = isMatrix(final?.['gates'])
    ? final['gates']
    : isMatrix(json['gates'])
      ? json['gates']
      : undefined;
  if (!gates) return undefined;
  // <run>/pruning/gates.json: the run's folder names it.
  const runDirectory =
    basename(dirname(file)) === 'pruning' ? dirname(dirname(file)) : dirname(file);
  const tasks = Array.isArray(json['tasks']) ? (json['tasks'] as unknown[]).map(String) : [];
  return {
    file,
    name: basename(runDirectory),
    tasks,
    seed: typeof json['seed'] === 'number' ? json['seed'] : undefined,
    gates,
    keptHeads: gates.flat().filter((g) => g > KEEP_THRESHOLD).length,
    undecided: undecidedGateCount(gates),
  };
}

async function readOverlap(file: string): Promise<OverlapEntry> {
  const json = await readJson(file);
  const entry: OverlapEntry = { file, perTask: [] };
  if (isMatrix(json['meanGates'])) entry.meanGates = json['meanGates'];
  if (Array.isArray(json['tasks']))
    for (const task of json['tasks'] as Array<Record<string, unknown>>)
      if (task && typeof task['task'] === 'string' && isMatrix(task['meanGates']))
        entry.perTask.push({
          task: task['task'],
          meanGates: task['meanGates'],
          ...(typeof task['keptFraction'] === 'number'
            ? { keptFraction: task['keptFraction'] }
            : {}),
          ...(Array.isArray(task['keptFractionPerRun'])
            ? { keptFractionPerRun: (task['keptFractionPerRun'] as unknown[]).map(Number) }
            : {}),
          ...(isMatrix(task['keptByRuns']) ? { keptByRuns: task['keptByRuns'] } : {}),
          ...(isRgbMatrix(task['rgb']) ? { rgb: task['rgb'] } : {}),
        });
  const correlation = json['correlation'] as { tasks?: unknown; r?: unknown } | undefined;
  if (correlation && Array.isArray(correlation.tasks) && Array.isArray(correlation.r))
    entry.correlation = {
      tasks: (correlation.tasks as unknown[]).map(String),
      r: correlation.r as Array<Array<number | null>>,
    };
  const cells = json['stemCells'];
  if (
    Array.isArray(cells) &&
    cells.every(
      (c: { layer?: unknown; head?: unknown } | null) =>
        Number.isInteger(c?.layer) && Number.isInteger(c?.head),
    )
  )
    entry.stemCells = (cells as Array<{ layer: number; head: number }>).map(({ layer, head }) => ({
      layer,
      head,
    }));
  if (typeof json['stemCellDefinition'] === 'string')
    entry.stemCellDefinition = json['stemCellDefinition'];
  if (isMatrix(json['claimedByTasks'])) entry.claimedByTasks = json['claimedByTasks'];
  return entry;
}

/** `<run>/analyses/conflict/update-<n>.json`. */
function isConflictFile(file: string): boolean {
  return (
    /^update-\d+\.json$/.test(basename(file)) &&
    basename(dirname(file)) === 'conflict' &&
    basename(dirname(dirname(file))) === 'analyses'
  );
}

/** A measurement with an update, tasks and [layer][head] cells holding a numeric conflict. */
async function readConflict(file: string): Promise<ConflictEntry | undefined> {
  const json = await readJson(file);
  const heads = json['heads'];
  if (
    typeof json['update'] !== 'number' ||
    !Array.isArray(json['tasks']) ||
    !Array.isArray(heads) ||
    heads.length === 0 ||
    !heads.every(
      (row) =>
        Array.isArray(row) &&
        row.every(
          (cell: { conflict?: unknown } | null) =>
            typeof cell?.conflict === 'number' && typeof cell === 'object',
        ),
    )
  )
    return undefined;
  const cells = heads as Array<Array<{ conflict: number; cosine?: unknown }>>;
  return {
    file,
    runDirectory: dirname(dirname(dirname(file))),
    update: json['update'],
    tasks: (json['tasks'] as unknown[]).map(String),
    pairs: Array.isArray(json['pairs']) ? (json['pairs'] as unknown[]).map(String) : [],
    heads: cells.map((row) =>
      row.map((cell) => ({
        conflict: cell.conflict,
        cosine:
          cell.cosine && typeof cell.cosine === 'object'
            ? (cell.cosine as Record<string, number | null>)
            : {},
      })),
    ),
  };
}

/** [layers][heads][3] numbers: the overlap's RGB map of a task's runs. */
function isRgbMatrix(value: unknown): value is number[][][] {
  return (
    Array.isArray(value) &&
    value.length > 0 &&
    value.every(
      (row) =>
        Array.isArray(row) &&
        row.every(
          (cell) =>
            Array.isArray(cell) && cell.length === 3 && cell.every((v) => typeof v === 'number'),
        ),
    )
  );
}
