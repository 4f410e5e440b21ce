import {
  StemError,
  predictionFormatsOf,
  type ComponentRegistry,
  type PredictionFormat,
  type PredictionInput,
  type Sentence,
} from '@stem/core';

/** One task of a run with what its plugin declares. */
export interface PredictingTask {
  name: string;
  /** The task head's registered id (the config's `type`). */
  id: string;
  config: unknown;
  formats: readonly PredictionFormat[];
}

/** Tasks written into one output: one task, or several whose formats edit one shared file. */
export interface OutputGroup {
  format: PredictionFormat;
  tasks: Array<{ task: PredictingTask; format: PredictionFormat }>;
}

/** The run's tasks (config order) and the formats their registrations declare. */
export function predictingTasks(
  registry: ComponentRegistry,
  tasks: Record<string, { type: string }>,
): PredictingTask[] {
  return Object.entries(tasks).map(([name, config]) => ({
    name,
    id: config.type,
    config,
    formats: predictionFormatsOf(registry.require('task', config.type).registration),
  }));
}

const listing = (task: PredictingTask): string =>
  `task "${task.name}" (${task.id}) writes ${task.formats.map((f) => f.name).join(', ')}`;

/**
 * Each task's format from the `--format` values: `name` applies to every task that declares
 * it, `task=name` to one task; a task not named keeps its default (its first format).
 */
export function chooseFormats(
  tasks: readonly PredictingTask[],
  requested: readonly string[],
): Map<PredictingTask, PredictionFormat> {
  const chosen = new Map(tasks.map((task) => [task, task.formats[0] as PredictionFormat]));
  const explicit = new Set<PredictingTask>();
  const bare = requested.filter((value) => !value.includes('='));
  for (const value of requested.filter((v) => v.includes('='))) {
    const [name, formatName] = value.split('=', 2) as [string, string];
    const task = tasks.find((t) => t.name === name);
    if (!task)
      throw new StemError(
        `--format ${value}: the run has no task "${name}"`,
        `its tasks are ${tasks.map((t) => t.name).join(', ')}`,
        'USAGE',
      );
    const format = task.formats.find((f) => f.name === formatName);
    if (!format)
      throw new StemError(
        `--format ${value}: task "${name}" (${task.id}) has no prediction format "${formatName}"`,
        `${listing(task)}; pick one of those`,
        'USAGE',
      );
    chosen.set(task, format);
    explicit.add(task);
  }
  for (const formatName of bare) {
    const takers = tasks.filter((t) => t.formats.some((f) => f.name === formatName));
    if (takers.length === 0)
      throw new StemError(
        tasks.length === 1
          ? `--format ${formatName}: task "${tasks[0]!.name}" (${tasks[0]!.id}) has no prediction format "${formatName}"`
          : `--format ${formatName}: no task of the run has a prediction format "${formatName}"`,
        `${tasks.map(listing).join('; ')}; pick one of those (task=format for one task)`,
        'USAGE',
      );
    for (const task of takers)
      if (!explicit.has(task))
        chosen.set(task, task.formats.find((f) => f.name === formatName) as PredictionFormat);
  }
  return chosen;
}

/**
 * Groups tasks into output files: tasks whose chosen formats share a name and all edit
 * their input (CoNLL-U of POS, DEP, NER) go into one file; every other task gets its own.
 */
export function groupOutputs(chosen: Map<PredictingTask, PredictionFormat>): OutputGroup[] {
  const groups: OutputGroup[] = [];
  for (const [task, format] of chosen) {
    const shared =
      format.editsInput === true
        ? groups.find((g) => g.format.name === format.name && g.format.editsInput === true)
        : undefined;
    if (shared) shared.tasks.push({ task, format });
    else groups.push({ format, tasks: [{ task, format }] });
  }
  return groups;
}

/** The group's text: each task's writer edits the previous one's output (or the input). */
export function writeGroup(
  group: OutputGroup,
  sentences: readonly Sentence[],
  input: PredictionInput,
): string {
  let current = input;
  let text = '';
  for (const { task, format } of group.tasks) {
    text = format.write(sentences, { task: task.name, config: task.config, input: current });
    current = { file: input.file, format: format.name, text };
  }
  return text;
}

/**
 * Where a group goes: `--output` itself when the run writes one file, else
 * `<output>.<task>[+<task>...].<extension>` beside it.
 */
export function outputFileOf(output: string, group: OutputGroup, groups: number): string {
  if (groups === 1) return output;
  return `${output}.${group.tasks.map((t) => t.task.name).join('+')}.${group.format.extension}`;
}
