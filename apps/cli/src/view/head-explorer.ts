import { existsSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { collectStudy, type Study } from '@stem/study';
import { relativeId } from './inside-directory.js';
import type { ViewedDirectory } from './viewed-directory.js';

/** A setting the page offers: one run (trained or pruned) or a static probe folder. */
export interface ViewSetting {
  /** Its path below the viewed directory (`.` for the directory itself): the API's key. */
  id: string;
  name: string;
  kind: 'static' | 'train' | 'prune';
  tasks: string[];
  seed?: number;
  /** Whether a best checkpoint is there, so its attention can be computed. */
  checkpoint: boolean;
  /** Tasks probed in this setting. */
  probes: string[];
}

/** Everything the page shows, read once from the directory's files. */
export interface HeadExplorer {
  directory: ViewedDirectory;
  layers: number;
  heads: number;
  tasks: string[];
  settings: ViewSetting[];
  study: Study;
}

/** What one head did in every setting the directory holds. */
export interface HeadRecord {
  layer: number;
  head: number;
  /** Weighted probe accuracy of this head, per task and setting; `best`: the best head there. */
  probes: Array<{
    task: string;
    probe: string;
    setting: string;
    accuracy: number | null;
    best: boolean;
  }>;
  /** Its gate in each pruning run; `undecided`: strictly between 0 and 1 when the run stopped. */
  gates: Array<{ setting: string; tasks: string[]; gate: number | null; undecided: boolean }>;
  /** Gradient conflict over a run's measurements: mean fraction of tasks against the sum. */
  conflicts: Array<{
    setting: string;
    updates: number;
    conflict: number | null;
    cosine: Record<string, number | null>;
  }>;
  /** Whether the overlap analysis counts it among the stem cells (absent: no overlap.json). */
  stemCell?: boolean;
}

const cell = (
  matrix: ReadonlyArray<ReadonlyArray<number | null>> | undefined,
  l: number,
  h: number,
) => {
  const value = matrix?.[l]?.[h];
  return typeof value === 'number' && Number.isFinite(value) ? value : null;
};

const mean = (values: readonly number[]) =>
  values.length === 0 ? null : values.reduce((a, b) => a + b, 0) / values.length;

/** Reads the study or run with the report's own reader and indexes its settings. */
export async function readHeadExplorer(directory: ViewedDirectory): Promise<HeadExplorer> {
  const study = await collectStudy([directory.root]);
  const { root } = directory;
  const settings = new Map<string, ViewSetting>();
  for (const run of study.runs) {
    const id = relativeId(root, run.directory);
    settings.set(id, {
      id,
      name: run.name,
      kind: run.pruned ? 'prune' : 'train',
      tasks: run.tasks,
      ...(run.seed !== undefined ? { seed: run.seed } : {}),
      checkpoint: existsSync(join(run.directory, 'checkpoints', 'best', 'state.json')),
      probes: [],
    });
  }
  for (const probe of study.probes) {
    const id = probeSetting(root, probe);
    const setting = settings.get(id) ?? {
      id,
      name: basename(dirname(probe.file)),
      kind: 'static' as const,
      tasks: [],
      checkpoint: false,
      probes: [],
    };
    if (!setting.probes.includes(probe.result.task)) setting.probes.push(probe.result.task);
    settings.set(id, setting);
  }
  const order = { static: 0, train: 1, prune: 2 };
  const sorted = [...settings.values()].sort(
    (a, b) => order[a.kind] - order[b.kind] || a.id.localeCompare(b.id),
  );
  // The shape: any per-head file says it; they all come from one encoder.
  const shapes = [
    ...study.probes.map((p) => [p.result.layers, p.result.heads]),
    ...study.gates.map((g) => [g.gates.length, g.gates[0]?.length ?? 0]),
    ...(study.conflicts ?? []).map((c) => [c.heads.length, c.heads[0]?.length ?? 0]),
    ...study.runs.flatMap((r) =>
      r.encoder?.architecture
        ? [[r.encoder.architecture.layers, r.encoder.architecture.heads]]
        : [],
    ),
  ];
  const tasks = [
    ...new Set([...study.runs.flatMap((r) => r.tasks), ...study.probes.map((p) => p.result.task)]),
  ];
  return {
    directory,
    layers: Math.max(0, ...shapes.map((s) => s[0] ?? 0)),
    heads: Math.max(0, ...shapes.map((s) => s[1] ?? 0)),
    tasks,
    settings: sorted,
    study,
  };
}

/** The setting a probe result belongs to: the run it probed, else the folder holding it. */
export function probeSetting(root: string, probe: Study['probes'][number]): string {
  return relativeId(root, probe.runDirectory ?? dirname(probe.file));
}

/** The run a gates.json belongs to: `<run>/pruning/gates.json`, else the folder holding it. */
export function gatesSetting(root: string, gates: Study['gates'][number]): string {
  const folder = dirname(gates.file);
  return relativeId(root, basename(folder) === 'pruning' ? dirname(folder) : folder);
}

/** The per-head numbers of every setting for one head (layer and head from 0). */
export function headRecord(explorer: HeadExplorer, layer: number, head: number): HeadRecord {
  const { study, directory } = explorer;
  const probes = study.probes.map((p) => {
    const accuracy = cell(p.result.weightedAccuracy, layer, head);
    return {
      task: p.result.task,
      probe: p.result.probe,
      setting: probeSetting(directory.root, p),
      accuracy,
      best: p.result.bestHead?.layer === layer && p.result.bestHead?.head === head,
    };
  });
  const gates = study.gates.map((g) => {
    const gate = cell(g.gates, layer, head);
    return {
      setting: gatesSetting(directory.root, g),
      tasks: g.tasks,
      gate,
      undecided: gate !== null && gate > 0 && gate < 1,
    };
  });
  const byRun = new Map<string, NonNullable<Study['conflicts']>>();
  for (const c of study.conflicts ?? [])
    byRun.set(c.runDirectory, [...(byRun.get(c.runDirectory) ?? []), c]);
  const conflicts = [...byRun].map(([run, measurements]) => {
    const cells = measurements.map((m) => m.heads[layer]?.[head]).filter((c) => c !== undefined);
    const pairs = [...new Set(cells.flatMap((c) => Object.keys(c.cosine)))];
    return {
      setting: relativeId(directory.root, run),
      updates: measurements.length,
      conflict: mean(cells.map((c) => c.conflict)),
      cosine: Object.fromEntries(
        pairs.map((pair) => [
          pair,
          mean(cells.map((c) => c.cosine[pair]).filter((v): v is number => typeof v === 'number')),
        ]),
      ),
    };
  });
  const overlap = study.overlaps.find((o) => o.stemCells);
  return {
    layer,
    head,
    probes,
    gates,
    conflicts,
    ...(overlap?.stemCells
      ? { stemCell: overlap.stemCells.some((c) => c.layer === layer && c.head === head) }
      : {}),
  };
}
