import { StemError } from '@stem/core';
import { seedsOf, type StudyConfig } from './study-config.js';

/** The settings a study can run; `static` is the probe of the encoder before fine-tuning. */
export const STUDY_SETTINGS = ['stl', 'pairs', 'mtl5', 'stl-dp', 'mtl-dp', 'static'] as const;
export type StudySetting = (typeof STUDY_SETTINGS)[number];

/** One training run of the grid: an ordinary run directory under the study directory. */
export interface GridRun {
  /** Deterministic name, also the run directory's name: `stl-pos-s1`, `mtl5-s1`, `stl-dp-dep-s2`. */
  id: string;
  kind: 'train' | 'prune';
  setting: Exclude<StudySetting, 'static'>;
  tasks: string[];
  seed: number;
  /** Relative to the study directory: `runs/<id>` or `pruning/<id>`. */
  directory: string;
}

/** One probe: a task probed on a run's best model, or on the static encoder. */
export interface GridProbe {
  id: string;
  setting: 'static' | 'stl' | 'pairs' | 'mtl5';
  task: string;
  /** The run probed; absent for the static encoder. */
  run?: string;
  /** Static probes of a random encoder: the seed whose initialisation is probed. */
  seed?: number;
  /** Relative to the study directory. */
  file: string;
}

export interface StudyGrid {
  tasks: string[];
  seeds: number[];
  settings: StudySetting[];
  runs: GridRun[];
  probes: GridProbe[];
  /** STL-DP runs whose gates `stem analyze overlap` compares (one group per task). */
  overlapRuns: string[];
}

export interface GridSelection {
  /** Only these settings (default: every setting the config turns on). */
  only?: readonly string[] | undefined;
  /** Only these tasks, in the config's order. */
  tasks?: readonly string[] | undefined;
  /** Seeds 1..N instead of the config's. */
  seeds?: number | undefined;
}

/** An encoder without pretrained weights: no `path`, or `weights: random` (a random twin). */
export function randomEncoder(config: StudyConfig): boolean {
  const encoder = config.encoder as { path?: unknown; weights?: unknown };
  return typeof encoder.path !== 'string' || encoder.weights === 'random';
}

/** The MTL run over every task is "mtl5" with the paper's five tasks, "mtl<k>" with k. */
export function mtlName(tasks: readonly string[]): string {
  return `mtl${tasks.length}`;
}

/**
 * Expands a study config into its runs and probes. With one task there is no MTL run; with
 * two, the one pair is the MTL run and is not repeated.
 */
export function expandGrid(config: StudyConfig, selection: GridSelection = {}): StudyGrid {
  const allTasks = Object.keys(config.tasks);
  const unknownTasks = (selection.tasks ?? []).filter((t) => !allTasks.includes(t));
  if (unknownTasks.length > 0)
    throw new StemError(
      `--tasks: ${unknownTasks.join(', ')} not in the study config`,
      `the config's tasks: ${allTasks.join(', ')}`,
      'USAGE',
    );
  const tasks = selection.tasks ? allTasks.filter((t) => selection.tasks!.includes(t)) : allTasks;
  const unknownSettings = (selection.only ?? []).filter(
    (s) => !(STUDY_SETTINGS as readonly string[]).includes(s),
  );
  if (unknownSettings.length > 0)
    throw new StemError(
      `--only: unknown setting ${unknownSettings.join(', ')}`,
      `settings: ${STUDY_SETTINGS.join(', ')}`,
      'USAGE',
    );
  const enabledInConfig: Record<StudySetting, boolean> = {
    stl: config.settings.stl !== false,
    pairs: config.settings.pairs !== false,
    mtl5: config.settings.mtl5 !== false,
    'stl-dp': config.pruning['stl-dp'] !== false,
    'mtl-dp': config.pruning['mtl-dp'] !== false,
    static: config.probes.static,
  };
  const settings = STUDY_SETTINGS.filter(
    (s) => enabledInConfig[s] && (!selection.only || selection.only.includes(s)),
  );
  const on = (s: StudySetting) => settings.includes(s);
  const seeds = selection.seeds
    ? Array.from({ length: selection.seeds }, (_, k) => k + 1)
    : seedsOf(config.seeds);
  const pairs: string[][] = [];
  if (tasks.length > 2)
    tasks.forEach((a, i) => tasks.slice(i + 1).forEach((b) => pairs.push([a, b])));
  const runs: GridRun[] = [];
  const add = (
    kind: GridRun['kind'],
    setting: GridRun['setting'],
    name: string,
    runTasks: string[],
    seed: number,
  ) => {
    const id = `${name}-s${seed}`;
    const folder = kind === 'prune' ? 'pruning' : 'runs';
    runs.push({ id, kind, setting, tasks: runTasks, seed, directory: `${folder}/${id}` });
  };
  for (const seed of seeds) {
    if (on('stl')) for (const task of tasks) add('train', 'stl', `stl-${task}`, [task], seed);
    if (on('pairs'))
      for (const pair of pairs) add('train', 'pairs', `pair-${pair.join('+')}`, pair, seed);
    if (on('mtl5') && tasks.length > 1) add('train', 'mtl5', mtlName(tasks), tasks, seed);
    if (on('stl-dp'))
      for (const task of tasks) add('prune', 'stl-dp', `stl-dp-${task}`, [task], seed);
    if (on('mtl-dp') && tasks.length > 1)
      add('prune', 'mtl-dp', `${mtlName(tasks)}-dp`, tasks, seed);
  }
  const probes: GridProbe[] = [];
  if (on('static')) {
    // A pretrained encoder is the same before every seed's fine-tuning; a random one is the
    // initialisation each seed draws, so it is probed once per seed.
    if (randomEncoder(config))
      for (const seed of seeds)
        for (const task of tasks)
          probes.push({
            id: `static-${task}-s${seed}`,
            setting: 'static',
            task,
            seed,
            file: `probes/static-s${seed}/probe-${task}.json`,
          });
    else
      for (const task of tasks)
        probes.push({
          id: `static-${task}`,
          setting: 'static',
          task,
          file: `probes/static/probe-${task}.json`,
        });
  }
  for (const run of runs) {
    if (run.kind !== 'train') continue;
    const probed = run.setting as 'stl' | 'pairs' | 'mtl5';
    if (!config.probes[probed]) continue;
    for (const task of run.tasks)
      probes.push({
        id: `${run.id}-${task}`,
        setting: probed,
        task,
        run: run.id,
        file: `${run.directory}/analyses/probe/probe-${task}.json`,
      });
  }
  const overlapRuns = runs.filter((r) => r.setting === 'stl-dp').map((r) => r.id);
  return { tasks, seeds, settings, runs, probes, overlapRuns };
}
