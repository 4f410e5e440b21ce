import { createHash } from 'node:crypto';
import type { PackageVersion } from '@stem/core';
import type { StudyConfig } from '../study/study-config.js';

/**
 * What a worker must share with the coordinator to run its units as the local study would:
 * the study config (hashed), the stem version and the plugin set. A worker refuses a unit
 * whose identity differs from its own.
 */
export interface StudyIdentity {
  /** sha256 of the study config, without `directory` (where the results go is not the study). */
  configHash: string;
  /** The stem CLI's version. */
  stem: string;
  /** `name@version` of every loaded plugin, sorted. */
  plugins: string[];
}

/** Keys sorted at every level, so the hash does not depend on the order a YAML file used. */
function canonical(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(canonical);
  if (value && typeof value === 'object')
    return Object.fromEntries(
      Object.entries(value as Record<string, unknown>)
        .filter(([, v]) => v !== undefined)
        .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
        .map(([k, v]) => [k, canonical(v)]),
    );
  return value;
}

export function studyConfigHash(config: StudyConfig): string {
  const { directory: _directory, ...study } = config as StudyConfig & { directory?: string };
  return createHash('sha256')
    .update(JSON.stringify(canonical(study)))
    .digest('hex');
}

/**
 * The identity of this process for a study: `packages` as `runStudy` records them, the CLI
 * first (`@stem/cli`), then its plugins.
 */
export function studyIdentity(
  config: StudyConfig,
  packages: readonly PackageVersion[],
): StudyIdentity {
  const [cli, ...plugins] = packages;
  return {
    configHash: studyConfigHash(config),
    stem: cli ? cli.version : 'unknown',
    plugins: plugins.map((p) => `${p.name}@${p.version}`).sort(),
  };
}

/** Why `theirs` (a unit's) cannot run here (`ours`), or undefined when it can. */
export function identityMismatch(ours: StudyIdentity, theirs: StudyIdentity): string | undefined {
  if (ours.configHash !== theirs.configHash)
    return `its study-config hash ${theirs.configHash.slice(0, 12)} differs from this worker's ${ours.configHash.slice(0, 12)} (same config file and --set as the coordinator?)`;
  if (ours.stem !== theirs.stem)
    return `it was queued by stem ${theirs.stem}, this worker is stem ${ours.stem}`;
  const missing = theirs.plugins.filter((p) => !ours.plugins.includes(p));
  const extra = ours.plugins.filter((p) => !theirs.plugins.includes(p));
  if (missing.length > 0 || extra.length > 0)
    return `its plugin set differs: ${[
      ...missing.map((p) => `coordinator has ${p}`),
      ...extra.map((p) => `worker has ${p}`),
    ].join(', ')}`;
  return undefined;
}

/** BullMQ's queue of a study: named after it (queue names may not contain `:`). */
export function studyQueueName(config: StudyConfig): string {
  return `stem-study-${config.name.replace(/[^A-Za-z0-9_.-]/g, '_')}`;
}
