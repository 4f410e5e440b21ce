import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { StemError } from '@stem/core';
import { EWT5_NAME, buildEwt5, defaultCorpusDirectory, ewt5ReportFile } from '@stem/data';
import type { StudyConfig } from './study-config.js';
import { STUDY_LOCK_FILE, lockStudy, type StudyLock } from './study-lock.js';

const EWT5_ID = 'stem.dataset.ewt-5.v1';

/** What a study's data needs before it can run: the ewt-5 corpus built in the data home. */
export interface DataNeeds {
  /** Tasks reading ewt-5 from the data home (no `path`). */
  ewt5Tasks: string[];
  ewt5Built: boolean;
  ewt5Directory: string;
  /** The first configured source that exists here (URLs count as existing). */
  ewt5Source?: string;
}

export function dataNeeds(config: StudyConfig, tasks: readonly string[]): DataNeeds {
  const ewt5Tasks = tasks.filter((t) => {
    const dataset = config.tasks[t]?.dataset as { type: string; path?: unknown } | undefined;
    return dataset?.type === EWT5_ID && dataset.path === undefined;
  });
  const ewt5Directory = defaultCorpusDirectory(EWT5_NAME);
  const source = config.data.ewt5?.sources.find((s) => /^https?:\/\//.test(s) || existsSync(s));
  return {
    ewt5Tasks,
    ewt5Built: existsSync(ewt5ReportFile(ewt5Directory)),
    ewt5Directory,
    ...(source ? { ewt5Source: source } : {}),
  };
}

export interface PrepareDataOptions {
  /** The build (tests count its calls); default `buildEwt5`. */
  build?: typeof buildEwt5;
  /** How often a process waiting for another's build looks again, ms (default 1000). */
  waitMs?: number;
}

/**
 * Builds ewt-5 (as `stem data build ewt-5` does) when a task needs it and it is not built yet,
 * from the first configured source that exists. Several processes sharing one data home (the
 * `stem worker`s of one machine) build it once: the first takes a lock beside the corpus
 * directory (the study directory's lock, a pid file) and builds, the others wait for the lock
 * and then find the corpus built.
 */
export async function prepareData(
  needs: DataNeeds,
  log: (line: string) => void,
  options: PrepareDataOptions = {},
): Promise<void> {
  if (needs.ewt5Tasks.length === 0 || needs.ewt5Built) return;
  if (!needs.ewt5Source)
    throw new StemError(
      `tasks ${needs.ewt5Tasks.join(', ')} read ewt-5, which is not built (${needs.ewt5Directory})`,
      'run `stem data build ewt-5 --source <PropBank release folder, .tar.gz or URL>`, or list sources under data.ewt5.sources in the study config',
      'DATA_NOT_FOUND',
    );
  const lock = await lockBuild(`${needs.ewt5Directory}.build`, log, options.waitMs ?? 1000);
  try {
    if (existsSync(ewt5ReportFile(needs.ewt5Directory))) {
      log(`ewt-5 was built meanwhile by another process (${needs.ewt5Directory})`);
      return;
    }
    log(`building ewt-5 from ${needs.ewt5Source} (once; stem data build ewt-5)`);
    const build = options.build ?? buildEwt5;
    const result = await build({
      source: needs.ewt5Source,
      out: needs.ewt5Directory,
      onProgress: log,
    });
    log(`ewt-5 built in ${result.out}`);
  } finally {
    await lock.release();
  }
}

/** Takes the build lock in `directory`, waiting (and saying so once) while another holds it. */
async function lockBuild(
  directory: string,
  log: (line: string) => void,
  waitMs: number,
): Promise<StudyLock> {
  let said = false;
  for (;;) {
    try {
      return await lockStudy(directory, log);
    } catch (error) {
      if ((error as { code?: unknown }).code !== 'STUDY_LOCKED') throw error;
      if (!said)
        log(
          `waiting for another process building ewt-5 (its lock: ${join(directory, STUDY_LOCK_FILE)}; delete it if that process is gone from another machine)`,
        );
      said = true;
      await sleep(waitMs);
    }
  }
}
