/**
 * Where built corpora live: `$STEM_DATA_HOME`, else `~/.stem/datasets`. Each corpus gets a
 * folder named by its short name (`ewt-5`), so a dataset config can leave `path` out.
 */
import { homedir } from 'node:os';
import { join, resolve } from 'node:path';

export const DATA_HOME_ENV = 'STEM_DATA_HOME';

export function stemDataHome(env: NodeJS.ProcessEnv = process.env): string {
  const configured = env[DATA_HOME_ENV];
  return configured && configured.trim() !== ''
    ? resolve(configured)
    : join(homedir(), '.stem', 'datasets');
}

/** The default folder of a built corpus, e.g. `~/.stem/datasets/ewt-5`. */
export function defaultCorpusDirectory(name: string, env: NodeJS.ProcessEnv = process.env): string {
  return join(stemDataHome(env), name);
}
