import { mkdir, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import type { TrainingProgress } from '@stem/core';
import type { StudyExecutor, StudyUnit } from '../src/study/study-executor.js';
import { GATES_FILE, RESULTS_FILE } from '../src/study/study-state.js';

export const trainingStatus = (step: number): TrainingProgress =>
  ({ epoch: 1, epochs: 1, stepInEpoch: step, stepsPerEpoch: 4, losses: {} }) as TrainingProgress;

export interface FileWritingOptions {
  /** A run that throws (`<id> diverged`) after it started. */
  failOn?: string;
  /** ms each run takes before its files are written (none by default), by run id. */
  pause?: (run: string) => number;
  /** A log line each run reports after it started. */
  log?: string;
}

/**
 * An executor that trains nothing: it writes the file that marks each step finished (what
 * `runFinished` / `probeFinished` look for), so the coordination around it is what is tested.
 * Every run reports 7 updates. `units`: what it was asked to run, in order.
 */
export function fileWritingExecutor(options: FileWritingOptions = {}) {
  const units: StudyUnit[] = [];
  const executor: StudyExecutor = {
    async execute(unit, scope, events) {
      units.push(structuredClone(unit));
      if (unit.run) {
        await events.started(unit.run.id);
        if (options.log) events.log(options.log);
        events.training(trainingStatus(1));
        const pause = options.pause?.(unit.run.id) ?? 0;
        if (pause > 0) await new Promise((resolve) => setTimeout(resolve, pause));
        if (unit.run.id === options.failOn) throw new Error(`${unit.run.id} diverged`);
        const file = join(
          scope.directory,
          unit.run.directory,
          unit.run.kind === 'prune' ? GATES_FILE : RESULTS_FILE,
        );
        await mkdir(dirname(file), { recursive: true });
        await writeFile(file, '{}');
        await events.finished(unit.run.id, { updates: 7 });
      }
      for (const probe of unit.probes) {
        await events.started(probe.id);
        const file = join(scope.directory, probe.file);
        await mkdir(dirname(file), { recursive: true });
        await writeFile(file, '{}');
        await events.finished(probe.id);
      }
    },
  };
  return { executor, units };
}
