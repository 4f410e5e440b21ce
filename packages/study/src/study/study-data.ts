import { existsSync } from 'node:fs';
import { StemError } from '@stem/core';
import { EWT5_NAME, buildEwt5, defaultCorpusDirectory, ewt5ReportFile } from '@stem/data';
import type { StudyConfig } from './study-config.js';

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

/**
 * Builds ewt-5 (as `stem data build ewt-5` does) when a task needs it and it is not built yet,
 * from the first configured source that exists.
 */
export async function prepareData(needs: DataNeeds, log: (line: string) => void): Promise<void> {
  if (needs.ewt5Tasks.length === 0 || needs.ewt5Built) return;
  if (!needs.ewt5Source)
    throw new StemError(
      `tasks ${needs.ewt5Tasks.join(', ')} read ewt-5, which is not built (${needs.ewt5Directory})`,
      'run `stem data build ewt-5 --source <PropBank release folder, .tar.gz or URL>`, or list sources under data.ewt5.sources in the study config',
      'DATA_NOT_FOUND',
    );
  log(`building ewt-5 from ${needs.ewt5Source} (once; stem data build ewt-5)`);
  const result = await buildEwt5({ source: needs.ewt5Source, onProgress: log });
  log(`ewt-5 built in ${result.out}`);
}
