import { appendFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { runConfigFile, runConfigYaml, runExperimentConfig } from '../study/run-config.js';
import type { StudyScope, StudyUnit, UnitEvents } from '../study/study-executor.js';
import { probeFinished, runFinished } from '../study/study-state.js';
import type { UnitJobResult } from './unit-job.js';
import { writeUnitFiles } from './unit-files.js';

/** Every completion the coordinator received, recorded or dropped: one JSON line each. */
export const QUEUE_LEDGER_FILE = 'queue-ledger.ndjson';

/** A completed job's value with the files its worker attached to the job. */
export type UnitCompletion = UnitJobResult & { files: Record<string, string> };

/**
 * Writes a completed unit's files into the study directory, unless that unit is finished there
 * already (a late duplicate: two workers that both ran it after a stall, or a coordinator
 * rerun collecting it again): that one is logged in the ledger, warned about and dropped, so
 * a unit's files are written and its steps counted once. Returns whether it was recorded.
 */
export async function recordCompletion(
  scope: StudyScope,
  unit: StudyUnit,
  result: UnitCompletion,
  events: UnitEvents,
  relayed: Set<string>,
): Promise<boolean> {
  const { directory } = scope;
  const done =
    (!unit.run || runFinished(directory, unit.run)) &&
    unit.probes.every((p) => probeFinished(directory, p));
  const ledger = (recorded: boolean) =>
    appendFile(
      join(directory, QUEUE_LEDGER_FILE),
      `${JSON.stringify({ unit: unit.id, worker: result.worker, recorded, seconds: result.seconds, at: new Date().toISOString() })}\n`,
    );
  if (done) {
    events.warn(
      `unit ${unit.id}: a second completion (from ${result.worker}) was dropped, the first is kept`,
    );
    await ledger(false);
    return false;
  }
  await writeUnitFiles(directory, result.files);
  // The run's config as the study directory names it (the worker's names its own directory).
  if (unit.run)
    await writeFile(
      runConfigFile(directory, unit.run),
      runConfigYaml(runExperimentConfig(scope.config, unit.run, directory), unit.run),
    );
  await ledger(true);
  events.log(`unit ${unit.id} done by ${result.worker} in ${result.seconds.toFixed(1)} s`);
  for (const step of result.steps) {
    if (!relayed.has(step.id)) await events.started(step.id);
    await events.finished(step.id, {
      seconds: step.seconds,
      ...(step.updates !== undefined ? { updates: step.updates } : {}),
    });
  }
  return true;
}
