import { resolve } from 'node:path';
import { encoderKey, type EncoderDescription } from './study-encoder.js';
import type { GatesEntry, ProbeEntry, RunEntry, Study } from './study-files.js';
import { meanStd } from './study-tables.js';
import { paperClaims, type ClaimVerdict } from './paper-claims.js';

/** Mean, sample std (absent for one value) and count, in the unit the files store (fractions). */
export interface Stat {
  mean: number;
  std?: number;
  n: number;
}

/** The setting that trains every task of the study together (the paper's MTL-5). */
export interface AllTasksSetting {
  /** "MTL-5" for five tasks, "MTL-<n>" otherwise. */
  label: string;
  tasks: string[];
}

export interface TaskScoreLine {
  task: string;
  metric?: string;
  /** Which split the scores are on ("mixed" when runs differ). */
  split?: 'test' | 'dev' | 'mixed';
  /** Absent: no finished STL run of the task (missing, not zero). */
  stl?: Stat;
  /** Absent: no finished run of the all-tasks setting. */
  mtl?: Stat;
}

export interface KeptHeadsLine {
  /** A task (STL-DP) or the tasks of a multi-task pruning run joined by "+" (MTL-DP). */
  tasks: string;
  setting: 'STL-DP' | 'MTL-DP';
  /** Fraction of heads kept (gate > 1e-3) over the pruning runs; absent when none. */
  kept?: Stat;
  /** Heads of the encoder (layers x heads). */
  totalHeads?: number;
  from?: 'gates' | 'overlap';
}

/**
 * Stem-cell heads as PAPER.md states claim 2: heads "claimed by most tasks". A task claims a
 * head it keeps (evaluation gate > 1e-3) in at least half of its STL-DP runs (as
 * `stem analyze overlap` counts); "most" is a strict majority of the pruned tasks
 * (3 of 5, 2 of 2 or 3). Heads claimed by every task are counted too. (overlap.json's
 * `stemCells` are the heads claimed by every group `stem analyze overlap` was given, an MTL-DP
 * group included; the headline counts the STL-DP tasks only.)
 */
export interface StemCells {
  /** The STL-DP tasks counted, with how many runs each. */
  tasks: Array<{ task: string; runs: number; claimed: number }>;
  layers: number;
  headsPerLayer: number;
  /** A head is a stem cell when at least this many tasks claim it. */
  majority: number;
  /** The stem-cell heads, 0-based, with the number of tasks claiming each. */
  heads: Array<{ layer: number; head: number; claimedBy: number }>;
  claimedByAll: number;
  /** Stem cells per layer (index 0 = layer 1). */
  perLayer: number[];
  /**
   * Expected number of heads claimed by a majority if each task claimed its number of heads
   * at random, independently of the others (Poisson-binomial): what "shared" is compared to.
   */
  expectedByChance: number;
  /** 0-based layers in the middle half of the encoder (centre of the layer strictly inside). */
  middleLayers: number[];
  inMiddleLayers: number;
}

export interface ProbeLine {
  task: string;
  probe: string;
  /** Macro average over labels of the best head's accuracy, per model kind; absent = missing. */
  static?: Stat;
  stl?: Stat;
  mtl?: Stat;
  /** Labels on which the MTL mean is below the STL mean (the paper's "45/49 POS tags"). */
  mtlBelowStl?: { labels: number; of: number };
}

/** Which encoder the study's runs used, and whether their head analyses can be evidence. */
export interface EncoderVerdict {
  encoders: EncoderDescription[];
  status: 'gates-passed' | 'gates-failed' | 'no-gates' | 'random' | 'mixed' | 'unknown';
  /** Whether the head analyses (pruning overlap, probes) can speak to the paper's claims. */
  headsAreEvidence: boolean;
  /** Whether task scores come from fine-tuning one pretrained encoder (claim 1's setting). */
  pretrained: boolean;
  /** One plain sentence saying why not, when the head analyses are not evidence. */
  caveat?: string;
}

export interface StudyHeadline {
  encoder: EncoderVerdict;
  allTasks?: AllTasksSetting;
  scores: TaskScoreLine[];
  keptHeads: KeptHeadsLine[];
  /** Absent when fewer than two tasks have STL-DP gates; `missing` says why. */
  stemCells?: StemCells;
  probes: ProbeLine[];
  claims: ClaimVerdict[];
  /** Parts of the headline the study has no data for, in words. */
  missing: string[];
}

const KEEP_THRESHOLD = 1e-3;
const PAPER_ORDER = ['pos', 'ner', 'dep', 'con', 'srl'];

function byPaperOrder(a: string, b: string): number {
  const ia = PAPER_ORDER.indexOf(a);
  const ib = PAPER_ORDER.indexOf(b);
  if (ia >= 0 && ib >= 0) return ia - ib;
  if (ia >= 0 || ib >= 0) return ia >= 0 ? -1 : 1;
  return a.localeCompare(b);
}

function stat(values: readonly number[]): Stat | undefined {
  return values.length === 0 ? undefined : meanStd(values);
}

const sameTasks = (a: readonly string[], b: readonly string[]) =>
  a.length === b.length && a.every((t) => b.includes(t));

/** The setting holding every task the study trained (at least two), e.g. MTL-5. */
function allTasksSetting(runs: readonly RunEntry[]): AllTasksSetting | undefined {
  const tasks = [...new Set(runs.flatMap((r) => r.tasks))].sort(byPaperOrder);
  if (tasks.length < 2) return undefined;
  return { label: `MTL-${tasks.length}`, tasks };
}

function scoreLines(
  runs: readonly RunEntry[],
  tasks: readonly string[],
  all: AllTasksSetting | undefined,
): TaskScoreLine[] {
  return tasks.map((task) => {
    const stlRuns = runs.filter((r) => sameTasks(r.tasks, [task]) && r.scores[task]);
    const mtlRuns = all ? runs.filter((r) => sameTasks(r.tasks, all.tasks) && r.scores[task]) : [];
    const scored = [...stlRuns, ...mtlRuns].map((r) => r.scores[task]!);
    const splits = new Set(scored.map((s) => s.split));
    const line: TaskScoreLine = { task };
    if (scored[0]) line.metric = scored[0].metric;
    if (splits.size > 0) line.split = splits.size > 1 ? 'mixed' : [...splits][0]!;
    const stl = stat(stlRuns.map((r) => r.scores[task]!.value));
    const mtl = stat(mtlRuns.map((r) => r.scores[task]!.value));
    if (stl) line.stl = stl;
    if (mtl) line.mtl = mtl;
    return line;
  });
}

const groupKey = (entry: GatesEntry) => [...entry.tasks].sort(byPaperOrder).join('+');

function keptHeadLines(study: Study, tasks: readonly string[]): KeptHeadsLine[] {
  const groups = new Map<string, GatesEntry[]>();
  for (const entry of study.gates) {
    if (entry.tasks.length === 0) continue;
    groups.set(groupKey(entry), [...(groups.get(groupKey(entry)) ?? []), entry]);
  }
  const fromOverlap = new Map<string, { perRun: number[] }>();
  for (const overlap of study.overlaps)
    for (const task of overlap.perTask) {
      const key = task.task.split('+').sort(byPaperOrder).join('+');
      const perRun =
        task.keptFractionPerRun ?? (task.keptFraction !== undefined ? [task.keptFraction] : []);
      if (perRun.length > 0 && !fromOverlap.has(key)) fromOverlap.set(key, { perRun });
    }
  const line = (key: string): KeptHeadsLine => {
    const setting = key.includes('+') ? 'MTL-DP' : 'STL-DP';
    const entries = groups.get(key);
    if (entries && entries.length > 0) {
      const total = entries[0]!.gates.flat().length;
      return {
        tasks: key,
        setting,
        kept: meanStd(entries.map((e) => e.keptHeads / e.gates.flat().length)),
        totalHeads: total,
        from: 'gates',
      };
    }
    const overlap = fromOverlap.get(key);
    if (overlap) {
      const shape = study.overlaps.find((o) => o.meanGates)?.meanGates;
      return {
        tasks: key,
        setting,
        kept: meanStd(overlap.perRun),
        ...(shape ? { totalHeads: shape.flat().length } : {}),
        from: 'overlap',
      };
    }
    return { tasks: key, setting };
  };
  const multi = [...new Set([...groups.keys(), ...fromOverlap.keys()])]
    .filter((k) => k.includes('+'))
    .sort();
  return [...tasks.map((task) => line(task)), ...multi.map(line)];
}

/** P(at least k of independent events with probabilities p happen): Poisson-binomial tail. */
export function atLeast(k: number, p: readonly number[]): number {
  let distribution = [1];
  for (const q of p) {
    const next = new Array<number>(distribution.length + 1).fill(0);
    distribution.forEach((v, i) => {
      next[i] = next[i]! + v * (1 - q);
      next[i + 1] = next[i + 1]! + v * q;
    });
    distribution = next;
  }
  return distribution.slice(k).reduce((a, b) => a + b, 0);
}

/** 0-based layers whose centre lies strictly inside the middle half (4 layers: 2-3; 12: 4-9). */
export function middleLayers(layers: number): number[] {
  return Array.from({ length: layers }, (_, l) => l).filter(
    (l) => l + 0.5 > layers / 4 && l + 0.5 < (3 * layers) / 4,
  );
}

function stemCellsOf(study: Study, problems: string[]): StemCells | undefined {
  // Per STL-DP task: the fraction of its runs that kept each head.
  const keptByRuns = new Map<string, { grid: number[][]; runs: number }>();
  for (const entry of study.gates) {
    if (entry.tasks.length !== 1) continue;
    const task = entry.tasks[0]!;
    const runs = study.gates.filter((g) => g.tasks.length === 1 && g.tasks[0] === task);
    if (keptByRuns.has(task)) continue;
    const grid = entry.gates.map((row, l) =>
      row.map(
        (_, h) => runs.filter((r) => (r.gates[l]?.[h] ?? 0) > KEEP_THRESHOLD).length / runs.length,
      ),
    );
    keptByRuns.set(task, { grid, runs: runs.length });
  }
  for (const overlap of study.overlaps)
    for (const task of overlap.perTask)
      if (!task.task.includes('+') && task.keptByRuns && !keptByRuns.has(task.task))
        keptByRuns.set(task.task, {
          grid: task.keptByRuns,
          runs: task.keptFractionPerRun?.length ?? 0,
        });
  const tasks = [...keptByRuns.keys()].sort(byPaperOrder);
  if (tasks.length < 2) return undefined;
  const first = keptByRuns.get(tasks[0]!)!.grid;
  const layers = first.length;
  const headsPerLayer = first[0]?.length ?? 0;
  const mismatched = tasks.filter((t) => {
    const grid = keptByRuns.get(t)!.grid;
    return grid.length !== layers || grid.some((row) => row.length !== headsPerLayer);
  });
  if (mismatched.length > 0) {
    problems.push(
      `stem cells: the gates of ${mismatched.join(', ')} do not have ${tasks[0]}'s shape ${layers} x ${headsPerLayer}; pruning runs of different encoders cannot be counted together`,
    );
    return undefined;
  }
  const claims = tasks.map((t) => keptByRuns.get(t)!.grid.map((row) => row.map((f) => f >= 0.5)));
  const majority = Math.floor(tasks.length / 2) + 1;
  const heads: StemCells['heads'] = [];
  let claimedByAll = 0;
  for (let l = 0; l < layers; l++)
    for (let h = 0; h < headsPerLayer; h++) {
      const claimedBy = claims.filter((c) => c[l]![h]).length;
      if (claimedBy >= majority) heads.push({ layer: l, head: h, claimedBy });
      if (claimedBy === tasks.length) claimedByAll++;
    }
  const total = layers * headsPerLayer;
  const claimedCounts = claims.map((c) => c.flat().filter(Boolean).length);
  const middle = middleLayers(layers);
  return {
    tasks: tasks.map((task, k) => ({
      task,
      runs: keptByRuns.get(task)!.runs,
      claimed: claimedCounts[k]!,
    })),
    layers,
    headsPerLayer,
    majority,
    heads,
    claimedByAll,
    perLayer: Array.from({ length: layers }, (_, l) => heads.filter((c) => c.layer === l).length),
    expectedByChance:
      total *
      atLeast(
        majority,
        claimedCounts.map((n) => n / total),
      ),
    middleLayers: middle,
    inMiddleLayers: heads.filter((c) => middle.includes(c.layer)).length,
  };
}

type ProbeKind = 'static' | 'stl' | 'mtl';

function probeLines(
  probes: readonly ProbeEntry[],
  runs: readonly RunEntry[],
  all: AllTasksSetting | undefined,
  problems: string[],
): ProbeLine[] {
  const runsByDirectory = new Map(runs.map((r) => [resolve(r.directory), r]));
  const classified: Array<{ kind: ProbeKind; entry: ProbeEntry }> = [];
  const seenRuns = new Set<string>();
  let unclassified = 0;
  for (const entry of probes) {
    if (entry.result.source?.kind === 'static') {
      classified.push({ kind: 'static', entry });
      continue;
    }
    const run = entry.runDirectory ? runsByDirectory.get(resolve(entry.runDirectory)) : undefined;
    // One result per run and task: a run probed twice (its config's analyzer and stem probe) counts once.
    const key = `${run?.directory}|${entry.result.task}|${entry.result.probe}`;
    if (!run) unclassified++;
    // Probes of pruning runs are not part of the static / STL / MTL comparison.
    if (!run || run.pruned || seenRuns.has(key)) continue;
    seenRuns.add(key);
    if (sameTasks(run.tasks, [entry.result.task])) classified.push({ kind: 'stl', entry });
    else if (all && sameTasks(run.tasks, all.tasks)) classified.push({ kind: 'mtl', entry });
  }
  if (unclassified > 0)
    problems.push(
      `${unclassified} probe result(s) belong to no run of the study and are not static probes: left out of the probe macro averages`,
    );
  const keys = [
    ...new Set(classified.map(({ entry }) => `${entry.result.task}|${entry.result.probe}`)),
  ].sort((a, b) => byPaperOrder(a.split('|')[0]!, b.split('|')[0]!));
  return keys.map((key) => {
    const [task, probe] = key.split('|') as [string, string];
    const of = (kind: ProbeKind) =>
      classified
        .filter(
          (c) => c.kind === kind && c.entry.result.task === task && c.entry.result.probe === probe,
        )
        .map((c) => c.entry.result);
    const line: ProbeLine = { task, probe };
    const macro = (kind: ProbeKind) => stat(of(kind).map((r) => r.macroBestAccuracy));
    const [s, t, m] = [macro('static'), macro('stl'), macro('mtl')];
    if (s) line.static = s;
    if (t) line.stl = t;
    if (m) line.mtl = m;
    if (t && m) {
      // Per label, the mean best-head accuracy over the runs of each setting.
      const labelMeans = (kind: ProbeKind) => {
        const values = new Map<string, number[]>();
        for (const result of of(kind))
          for (const label of result.labels)
            values.set(label.label, [...(values.get(label.label) ?? []), label.best.accuracy]);
        return new Map([...values].map(([l, v]) => [l, v.reduce((a, b) => a + b, 0) / v.length]));
      };
      const stl = labelMeans('stl');
      const mtl = labelMeans('mtl');
      const shared = [...stl.keys()].filter((l) => mtl.has(l));
      line.mtlBelowStl = {
        labels: shared.filter((l) => mtl.get(l)! < stl.get(l)!).length,
        of: shared.length,
      };
    }
    return line;
  });
}

function encoderVerdict(runs: readonly RunEntry[]): EncoderVerdict {
  const distinct = new Map<string, EncoderDescription>();
  for (const run of runs) if (run.encoder) distinct.set(encoderKey(run.encoder), run.encoder);
  const encoders = [...distinct.values()];
  const notEvidence =
    "so the head analyses (pruning, stem cells, probes) are not evidence for or against the paper's claims";
  if (encoders.length === 0)
    return {
      encoders,
      status: 'unknown',
      headsAreEvidence: false,
      pretrained: false,
      caveat: `No run manifest names the encoder, ${notEvidence}.`,
    };
  if (encoders.length > 1)
    return {
      encoders,
      status: 'mixed',
      headsAreEvidence: false,
      pretrained: false,
      caveat: `The runs used ${encoders.length} different encoders (${encoders.map((e) => e.name).join(', ')}): their heads cannot be compared, ${notEvidence}.`,
    };
  const encoder = encoders[0]!;
  if (encoder.weights === 'random')
    return {
      encoders,
      status: 'random',
      headsAreEvidence: false,
      pretrained: false,
      caveat: `The encoder is randomly initialised: it has no pretrained heads at all, ${notEvidence}; STL vs MTL here compares training from scratch, not fine-tuning a pretrained encoder.`,
    };
  const gates = encoder.gatesMatchWeights === false ? undefined : encoder.qualityGates;
  if (!gates)
    return {
      encoders,
      status: 'no-gates',
      headsAreEvidence: false,
      pretrained: true,
      caveat: `${encoder.name} carries no quality gates that stem can check${encoder.qualityGates ? ' (its quality-gates.json was measured on other weights)' : ''}: whether its heads learned anything is unknown, ${notEvidence}.`,
    };
  const failed = gates.gates.filter((g) => !g.passed);
  if (failed.length > 0 || !gates.passed)
    return {
      encoders,
      status: 'gates-failed',
      headsAreEvidence: false,
      pretrained: true,
      caveat: `${encoder.name} did not pass all its quality gates (failed: ${failed.map((g) => `(${g.id}) ${g.requirement}`).join('; ') || 'see quality-gates.json'}), ${notEvidence}.`,
    };
  return { encoders, status: 'gates-passed', headsAreEvidence: true, pretrained: true };
}

/**
 * The study in a few numbers (issue 14, items 5 and 6): the encoder and its gates, STL vs the
 * all-tasks MTL setting per task, kept-head fractions, stem-cell heads and their layers, probe
 * macro averages static / STL / MTL, and a verdict on each of the paper's three claims.
 * Training runs with head gates (STL-DP, MTL-DP) count only for pruning, not for scores.
 */
export function studyHeadline(study: Study): StudyHeadline {
  const missing: string[] = [];
  const trained = study.runs.filter((r) => !r.pruned);
  const all = allTasksSetting(trained);
  const tasks = [
    ...new Set([
      ...trained.flatMap((r) => r.tasks),
      ...study.gates.filter((g) => g.tasks.length === 1).map((g) => g.tasks[0]!),
      ...study.overlaps
        .flatMap((o) => o.perTask.map((t) => t.task))
        .filter((t) => !t.includes('+')),
      ...study.probes.map((p) => p.result.task),
    ]),
  ].sort(byPaperOrder);
  const scores = scoreLines(trained, tasks, all);
  for (const line of scores) {
    if (!line.stl) missing.push(`${line.task}: no finished STL run`);
    if (!line.mtl) missing.push(`${line.task}: no finished ${all?.label ?? 'multi-task'} run`);
  }
  const keptHeads = keptHeadLines(study, tasks);
  for (const line of keptHeads)
    if (!line.kept) missing.push(`${line.tasks}: no ${line.setting} pruning run`);
  const stemCells = stemCellsOf(study, missing);
  if (!stemCells && !missing.some((m) => m.startsWith('stem cells')))
    missing.push('stem cells: need the STL-DP gates of at least two tasks');
  const probes = probeLines(study.probes, study.runs, all, missing);
  for (const task of tasks) {
    const lines = probes.filter((p) => p.task === task);
    if (lines.length === 0) missing.push(`${task}: no probe results`);
    for (const line of lines)
      for (const [kind, value] of [
        ['static', line.static],
        ['STL', line.stl],
        [all?.label ?? 'MTL', line.mtl],
      ] as const)
        if (!value) missing.push(`${task}: no ${kind} ${line.probe} probe`);
  }
  const encoder = encoderVerdict(study.runs);
  const headline: Omit<StudyHeadline, 'claims'> = {
    encoder,
    ...(all ? { allTasks: all } : {}),
    scores,
    keptHeads,
    ...(stemCells ? { stemCells } : {}),
    probes,
    missing,
  };
  return { ...headline, claims: paperClaims(headline) };
}

const pct = (value: number, digits = 2) => (100 * value).toFixed(digits);

/** "92.00 ± 2.83 (n=3)", in %, or "missing". */
export function formatStat(value: Stat | undefined, digits = 2): string {
  if (!value) return 'missing';
  const spread = value.std === undefined ? '' : ` ± ${pct(value.std, digits)}`;
  return `${pct(value.mean, digits)}${spread} (n=${value.n})`;
}

function encoderLines(verdict: EncoderVerdict): string[] {
  const lines: string[] = [];
  for (const encoder of verdict.encoders) {
    const shape = encoder.architecture
      ? `${encoder.architecture.arch.toUpperCase()} ${encoder.architecture.layers} layers x ${encoder.architecture.heads} heads (${encoder.architecture.layers * encoder.architecture.heads} heads), hidden ${encoder.architecture.hidden}`
      : 'architecture unknown';
    const where = encoder.path ? `${encoder.path}; ` : '';
    const how =
      encoder.weights === 'random'
        ? 'randomly initialised from the run seed (not pretrained)'
        : (encoder.qualityGates?.pretraining ??
          'pretrained checkpoint; how it was pretrained is not recorded');
    lines.push(`Encoder: ${encoder.name} (${where}${shape}), ${how}.`);
    const gates = encoder.qualityGates;
    if (encoder.weights === 'pretrained' && gates && encoder.gatesMatchWeights !== false)
      lines.push(
        `Quality gates (${gates.card ?? 'quality-gates.json'}): ${gates.gates
          .map((g) => `(${g.id}) ${g.passed ? 'passed' : 'FAILED'}: ${g.result}`)
          .join('; ')}.`,
      );
    else if (encoder.weights === 'pretrained') lines.push('Quality gates: none recorded.');
    for (const problem of encoder.problems) lines.push(`Note: ${problem}.`);
  }
  if (verdict.caveat) lines.push(`Caveat: ${verdict.caveat}`);
  return lines;
}

/** The headline as lines to print (stdout, the report's first section), "missing" where data is. */
export function formatHeadline(headline: StudyHeadline): string[] {
  const all = headline.allTasks?.label ?? 'MTL';
  const lines = [...encoderLines(headline.encoder), ''];
  lines.push(`Task scores (%, mean ± std over seeds, n = runs): STL vs ${all}`);
  for (const s of headline.scores) {
    const delta =
      s.stl && s.mtl
        ? `  Δ ${s.mtl.mean >= s.stl.mean ? '+' : ''}${pct(s.mtl.mean - s.stl.mean)}`
        : '';
    lines.push(
      `  ${s.task} ${s.metric ?? ''}${s.split && s.split !== 'test' ? ` (${s.split})` : ''}: STL ${formatStat(s.stl)} | ${all} ${formatStat(s.mtl)}${delta}`,
    );
  }
  lines.push('');
  lines.push('Heads kept by pruning (% of heads, mean ± std over runs):');
  for (const k of headline.keptHeads)
    lines.push(
      `  ${k.tasks} ${k.setting}: ${formatStat(k.kept, 1)}${k.totalHeads ? ` of ${k.totalHeads}` : ''}`,
    );
  lines.push('');
  const cells = headline.stemCells;
  if (cells) {
    const total = cells.layers * cells.headsPerLayer;
    const perLayer = cells.perLayer
      .map((n, l) => (n > 0 ? `L${l + 1}: ${n}` : ''))
      .filter(Boolean)
      .join(', ');
    lines.push(
      `Stem-cell heads (claimed by most pruned tasks, at least ${cells.majority} of ${cells.tasks.length}; a task claims a head kept in at least half its runs): ${cells.heads.length} of ${total}${perLayer ? ` (${perLayer})` : ''}; claimed by all ${cells.tasks.length}: ${cells.claimedByAll}; expected by chance: ${cells.expectedByChance.toFixed(1)}`,
    );
  } else lines.push('Stem-cell heads: missing (need the STL-DP gates of at least two tasks)');
  lines.push('');
  lines.push(`Probe macro averages (best head per label, %): static / STL / ${all}`);
  if (headline.probes.length === 0) lines.push('  missing');
  for (const p of headline.probes)
    lines.push(
      `  ${p.task} ${p.probe}: static ${formatStat(p.static)} | STL ${formatStat(p.stl)} | ${all} ${formatStat(p.mtl)}${p.mtlBelowStl ? `; ${all} below STL on ${p.mtlBelowStl.labels} of ${p.mtlBelowStl.of} labels` : ''}`,
    );
  lines.push('');
  lines.push("The paper's claims:");
  for (const claim of headline.claims) {
    lines.push(
      `  ${claim.id}. ${claim.claim}: ${claim.verdict.toUpperCase()}${claim.evidence ? '' : ' (not evidence: see the caveat)'}`,
    );
    for (const reason of claim.numbers) lines.push(`     ${reason}`);
  }
  if (headline.missing.length > 0) lines.push('', `Missing: ${headline.missing.join('; ')}.`);
  return lines;
}
