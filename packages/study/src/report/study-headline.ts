import { basename, resolve } from 'node:path';
import { scoreOutcome, scoreOutcomeText, type ScoreOutcome } from './claim-scores.js';
import { countStatistics, countText, statisticText, undecidedText } from './claim-sharing.js';
import { probeOutcome, type ProbeOutcome } from './claim-probes.js';
import { intervalText, pText } from './claim-verdict.js';
import { gradientConflict, type GradientConflict } from './gradient-conflict.js';
import type { HeadSetTest } from './head-set-permutation.js';
import {
  headSharing,
  pruningRunLines,
  type HeadSharing,
  type PruningRunLine,
} from './head-sharing.js';
import { learningFloors } from './learning-floors.js';
import { meanInterval, type MeanInterval } from './mean-interval.js';
import { byPaperOrder } from './paper-order.js';
import { signTestP } from './sign-test.js';
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
  /**
   * All-tasks minus STL, paired by seed (the mean of each setting's runs of a seed, over the
   * seeds with both), with its 95% Student-t interval; absent when no seed has both.
   */
  difference?: MeanInterval & { seeds: number[] };
  /** The task's learning floor: an STL mean below it is under-trained. Absent: none. */
  floor?: number;
  /** Claim 1 on this task; absent without both an STL and an all-tasks score. */
  outcome?: ScoreOutcome;
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
  /** Per pruning run (gates files only): final evaluation gates strictly between 0 and 1. */
  undecided?: number[];
}

export interface ProbeLine {
  task: string;
  probe: string;
  /** Macro average over labels of the best head's accuracy, per model kind; absent = missing. */
  static?: Stat;
  stl?: Stat;
  mtl?: Stat;
  /** STL minus static per STL run (static probes are deterministic), with its 95% interval. */
  gain?: MeanInterval;
  /** STL mean minus MTL mean: the part of the specialisation MTL gives back. */
  givenBack?: number;
  /** givenBack / gain; absent when the gain is <= 0 (nothing to give back). */
  shareGivenBack?: number;
  /**
   * Per label, MTL mean vs STL mean (the paper's "45/49 POS tags"): labels below, above, of
   * those both have, and the exact two-sided sign test's p (ties dropped).
   */
  mtlBelowStl?: { below: number; above: number; of: number; p: number };
  /** Claim 3 on this task; absent without static, STL and MTL results. */
  outcome?: ProbeOutcome;
  /** The runs whose probes were used (folder names). */
  runs?: { stl: string[]; mtl: string[] };
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
  /** The learning floors claim 1 used, and the study.json that set any of them. */
  learningFloors: { floors: Record<string, number>; from?: string };
  keptHeads: KeptHeadsLine[];
  /** Every pruning run's gates file, with its undecided gates. */
  pruningRuns: PruningRunLine[];
  /**
   * The sharing permutation test over the STL-DP runs that decided every gate; absent when
   * fewer than two tasks have such runs (claim 2 says why).
   */
  sharing?: HeadSharing;
  probes: ProbeLine[];
  /** The gradient-conflict meter's measurements of the all-task runs; absent without any. */
  conflict?: GradientConflict;
  claims: ClaimVerdict[];
  /** Parts of the headline the study has no data for, in words. */
  missing: string[];
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

/** Per seed, the mean score of a task over the given runs of that seed (runs without a seed left out). */
function bySeed(runs: readonly RunEntry[], task: string): Map<number, number> {
  const values = new Map<number, number[]>();
  for (const run of runs)
    if (run.seed !== undefined)
      values.set(run.seed, [...(values.get(run.seed) ?? []), run.scores[task]!.value]);
  return new Map([...values].map(([seed, v]) => [seed, v.reduce((a, b) => a + b, 0) / v.length]));
}

/** MTL minus STL over the seeds that have both: the comparison claim 1 tests. */
function pairedDifference(
  stlRuns: readonly RunEntry[],
  mtlRuns: readonly RunEntry[],
  task: string,
): TaskScoreLine['difference'] {
  const stl = bySeed(stlRuns, task);
  const mtl = bySeed(mtlRuns, task);
  const seeds = [...stl.keys()].filter((seed) => mtl.has(seed)).sort((a, b) => a - b);
  if (seeds.length === 0) return undefined;
  return { ...meanInterval(seeds.map((seed) => mtl.get(seed)! - stl.get(seed)!)), seeds };
}

function scoreLines(
  runs: readonly RunEntry[],
  tasks: readonly string[],
  all: AllTasksSetting | undefined,
  floors: Readonly<Record<string, number>>,
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
    const difference = pairedDifference(stlRuns, mtlRuns, task);
    if (difference) line.difference = difference;
    if (floors[task] !== undefined) line.floor = floors[task];
    const outcome = scoreOutcome(line);
    if (outcome) line.outcome = outcome;
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
        undecided: entries.map((e) => e.undecided),
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

type ProbeKind = 'static' | 'stl' | 'mtl';

/** Per-label means this close are tied: the sign test drops them. */
const TIE_TOLERANCE = 1e-12;

function probeLines(
  probes: readonly ProbeEntry[],
  runs: readonly RunEntry[],
  all: AllTasksSetting | undefined,
  problems: string[],
): ProbeLine[] {
  const runsByDirectory = new Map(runs.map((r) => [resolve(r.directory), r]));
  const classified: Array<{ kind: ProbeKind; entry: ProbeEntry; run?: RunEntry }> = [];
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
    if (sameTasks(run.tasks, [entry.result.task])) classified.push({ kind: 'stl', entry, run });
    else if (all && sameTasks(run.tasks, all.tasks)) classified.push({ kind: 'mtl', entry, run });
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
    const entriesOf = (kind: ProbeKind) =>
      classified.filter(
        (c) => c.kind === kind && c.entry.result.task === task && c.entry.result.probe === probe,
      );
    const of = (kind: ProbeKind) => entriesOf(kind).map((c) => c.entry.result);
    const line: ProbeLine = { task, probe };
    const macro = (kind: ProbeKind) => stat(of(kind).map((r) => r.macroBestAccuracy));
    const [s, t, m] = [macro('static'), macro('stl'), macro('mtl')];
    if (s) line.static = s;
    if (t) line.stl = t;
    if (m) line.mtl = m;
    const runNames = (kind: ProbeKind) =>
      entriesOf(kind)
        .map((c) => basename(c.run!.directory))
        .sort();
    if (t || m) line.runs = { stl: runNames('stl'), mtl: runNames('mtl') };
    if (s && t) {
      // The static encoder is one fixed point; the noise is the spread of the STL runs.
      line.gain = meanInterval(of('stl').map((r) => r.macroBestAccuracy - s.mean));
      if (m) {
        line.givenBack = t.mean - m.mean;
        if (line.gain.mean > 0) line.shareGivenBack = line.givenBack / line.gain.mean;
      }
    }
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
      // Means of the same accuracies summed in another order may differ in the last bit: a tie.
      const below = shared.filter((l) => mtl.get(l)! < stl.get(l)! - TIE_TOLERANCE).length;
      const above = shared.filter((l) => mtl.get(l)! > stl.get(l)! + TIE_TOLERANCE).length;
      line.mtlBelowStl = { below, above, of: shared.length, p: signTestP(below, above) };
    }
    const outcome = probeOutcome(line);
    if (outcome) line.outcome = outcome;
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
 * all-tasks MTL setting per task (paired by seed, against the learning floors), kept-head
 * fractions and undecided gates, the head-sharing permutation test, probe macro averages
 * static / STL / MTL, and a verdict on each of the three claims of He & Choi 2021.
 * Training runs with head gates (STL-DP, MTL-DP) count only for pruning, not for scores.
 * `options.learningFloors` go over the study.json's and the defaults.
 */
export function studyHeadline(
  study: Study,
  options: { learningFloors?: Readonly<Record<string, number>> } = {},
): StudyHeadline {
  const missing: string[] = [];
  const floors = learningFloors({ ...study.learningFloors?.floors, ...options.learningFloors });
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
  const scores = scoreLines(trained, tasks, all, floors);
  for (const line of scores) {
    if (!line.stl) missing.push(`${line.task}: no finished STL run`);
    if (!line.mtl) missing.push(`${line.task}: no finished ${all?.label ?? 'multi-task'} run`);
  }
  const keptHeads = keptHeadLines(study, tasks);
  for (const line of keptHeads)
    if (!line.kept) missing.push(`${line.tasks}: no ${line.setting} pruning run`);
  const pruningRuns = pruningRunLines(study.gates);
  // Claim 2 rests on pruning runs that decided every gate (their final gates all 0 or 1).
  const sharing = headSharing(study.gates, missing);
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
  const conflict = gradientConflict(
    study,
    study.overlaps[0]?.stemCells ?? sharing?.test.stemCells,
    missing,
  );
  const headline: Omit<StudyHeadline, 'claims'> = {
    encoder,
    ...(all ? { allTasks: all } : {}),
    scores,
    learningFloors: {
      floors,
      ...(study.learningFloors ? { from: study.learningFloors.file } : {}),
    },
    keptHeads,
    pruningRuns,
    ...(sharing ? { sharing } : {}),
    probes,
    ...(conflict ? { conflict } : {}),
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

function scoreLinesText(headline: StudyHeadline, all: string): string[] {
  const lines = [
    `Task scores (%, mean ± std over seeds, n = runs): STL vs ${all}; Δ = ${all} − STL paired by seed, 95% Student-t interval, n = seeds with both`,
  ];
  for (const s of headline.scores) {
    const delta = s.difference ? `  Δ ${intervalText(s.difference)}` : '';
    const outcome = s.outcome ? `: ${scoreOutcomeText(s)}` : '';
    lines.push(
      `  ${s.task} ${s.metric ?? ''}${s.split && s.split !== 'test' ? ` (${s.split})` : ''}: STL ${formatStat(s.stl)} | ${all} ${formatStat(s.mtl)}${delta}${outcome}`,
    );
  }
  const floors = Object.entries(headline.learningFloors.floors).filter(([task]) =>
    headline.scores.some((s) => s.task === task),
  );
  if (floors.length > 0)
    lines.push(
      `  Learning floors (an STL mean below one: under-trained, claim 1 not tested on the task): ${floors.map(([task, floor]) => `${task} ${pct(floor)}`).join(', ')}${headline.learningFloors.from ? ` (defaults, with ${headline.learningFloors.from} over them)` : ' (defaults)'}`,
    );
  return lines;
}

function pruningText(headline: StudyHeadline): string[] {
  const lines = ['Heads kept by pruning (% of heads, mean ± std over runs):'];
  for (const k of headline.keptHeads) {
    const undecided = k.undecided?.some((n) => n > 0)
      ? `; undecided gates per run: ${k.undecided.join(', ')}`
      : '';
    lines.push(
      `  ${k.tasks} ${k.setting}: ${formatStat(k.kept, 1)}${k.totalHeads ? ` of ${k.totalHeads}` : ''}${undecided}`,
    );
  }
  const runs = headline.pruningRuns;
  if (runs.length > 0) {
    const decided = runs.filter((r) => r.undecided === 0).length;
    const undecided = undecidedText(runs);
    lines.push(
      `  ${decided} of ${runs.length} pruning runs decided every gate (final evaluation gates all 0 or 1)${undecided ? `; undecided gates per run (left out of claim 2): ${undecided}` : ''}`,
    );
  }
  return lines;
}

function sharingText(headline: StudyHeadline): string[] {
  const sharing = headline.sharing;
  if (!sharing) {
    const stlDp = headline.pruningRuns.filter((r) => r.setting === 'STL-DP');
    const reason =
      stlDp.length === 0
        ? "missing (need the STL-DP runs' pruning/gates.json)"
        : stlDp.every((r) => r.undecided > 0)
          ? 'not tested: no pruning run decided all its gates'
          : new Set(stlDp.filter((r) => r.undecided === 0).map((r) => r.tasks)).size < 2
            ? 'not tested: need STL-DP runs that decided every gate for at least two tasks'
            : "not tested: the converged runs' gates differ in shape (see Missing)";
    return [`Head sharing: ${reason}`];
  }
  const test = sharing.test;
  const perLayer = sharing.layers
    .map((l) => `L${l.layer + 1} ${l.observed} (uniform null ${countText(l.expected)})`)
    .join(', ');
  return [
    `Head sharing (permutation test over the STL-DP runs that decided every gate, ${test.draws} draws): ${test.definition}`,
    `  tasks: ${test.tasks.map((t) => `${t.task} ${t.runs} run(s), claims ${t.claimed}`).join('; ')}`,
    `  stem cells: ${test.stemCells.length} of ${test.layers * test.heads}${perLayer ? `; per layer ${perLayer}` : ''}`,
    ...countStatistics(sharing).map((s) => `  ${statisticText(s)}`),
  ];
}

function probeText(headline: StudyHeadline, all: string): string[] {
  const lines = [`Probe macro averages (best head per label, %): static / STL / ${all}`];
  if (headline.probes.length === 0) lines.push('  missing');
  for (const p of headline.probes) {
    const labels = p.mtlBelowStl
      ? `; ${all} below STL on ${p.mtlBelowStl.below} of ${p.mtlBelowStl.of} labels, above on ${p.mtlBelowStl.above} (sign test p = ${pText(p.mtlBelowStl.p)})`
      : '';
    lines.push(
      `  ${p.task} ${p.probe}: static ${formatStat(p.static)} | STL ${formatStat(p.stl)} | ${all} ${formatStat(p.mtl)}${labels}`,
    );
  }
  return lines;
}

/** The stem-cell test's outcome in words: a side only when the permutation test excludes chance. */
export function conflictVerdict(test: HeadSetTest): string {
  if (test.p >= 0.05) return 'inconclusive (within the permutation noise)';
  return test.difference > 0
    ? 'the stem cells conflict more than the other heads'
    : 'the stem cells conflict less than the other heads';
}

/** One line: whether the tasks' gradients disagree most on the heads every task claims. */
function conflictText(conflict: GradientConflict): string {
  const stem = conflict.headSets.find((s) => s.name === 'stem cells')?.test;
  const where = `${conflict.runs.length} run(s), ${conflict.measurements} measurements`;
  if (stem === undefined || typeof stem === 'string')
    return `Gradient conflict (${where}): not tested: ${stem ?? 'no stem cells'}`;
  return `Gradient conflict (${where}): stem-cell heads ${stem.inside.mean.toFixed(3)} vs other heads ${stem.outside.mean.toFixed(3)} (mean conflict), permutation p = ${pText(stem.p)} (${stem.draws} draws, seed ${conflict.seed}): ${conflictVerdict(stem)}`;
}

/** The headline as lines to print (stdout, the report's first section), "missing" where data is. */
export function formatHeadline(headline: StudyHeadline): string[] {
  const all = headline.allTasks?.label ?? 'MTL';
  const lines = [...encoderLines(headline.encoder), ''];
  lines.push(...scoreLinesText(headline, all), '');
  lines.push(...pruningText(headline), '');
  lines.push(...sharingText(headline), '');
  if (headline.conflict) lines.push(conflictText(headline.conflict), '');
  lines.push(...probeText(headline, all), '');
  lines.push("The paper's claims (He & Choi 2021):");
  for (const claim of headline.claims) {
    lines.push(
      `  ${claim.id}. ${claim.claim}: ${claim.verdict.toUpperCase()}${claim.evidence ? '' : ' (not evidence: see the caveat)'}`,
    );
    for (const reason of claim.numbers) lines.push(`     ${reason}`);
  }
  if (headline.missing.length > 0) lines.push('', `Missing: ${headline.missing.join('; ')}.`);
  return lines;
}
