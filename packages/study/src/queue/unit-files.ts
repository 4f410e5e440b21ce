import { existsSync } from 'node:fs';
import { mkdir, readdir, readFile, rename, writeFile } from 'node:fs/promises';
import { dirname, join, relative, sep } from 'node:path';
import type { StudyUnit } from '../study/study-executor.js';

/** Folders of a run directory that stay on the worker: the weights. */
const STAYS_ON_WORKER = new Set(['checkpoints']);

async function filesUnder(root: string, folder: string): Promise<string[]> {
  const found: string[] = [];
  for (const entry of await readdir(join(root, folder), { withFileTypes: true })) {
    const path = join(folder, entry.name);
    if (entry.isDirectory()) {
      if (!STAYS_ON_WORKER.has(entry.name)) found.push(...(await filesUnder(root, path)));
    } else if (entry.isFile()) found.push(path);
  }
  return found;
}

/**
 * A unit's small outputs in the worker's directory, relative paths to base64: the run
 * directory without its checkpoints (results.json, manifest.json, metrics.ndjson, config.yaml,
 * labels, gates, its probe results) and the unit's probe files elsewhere (the static probes).
 */
export async function collectUnitFiles(
  directory: string,
  unit: StudyUnit,
): Promise<Record<string, string>> {
  const paths = new Set<string>();
  if (unit.run && existsSync(join(directory, unit.run.directory)))
    for (const path of await filesUnder(directory, unit.run.directory)) paths.add(path);
  for (const probe of unit.probes) paths.add(probe.file);
  const files: Record<string, string> = {};
  for (const path of [...paths].sort())
    files[path.split(sep).join('/')] = (await readFile(join(directory, path))).toString('base64');
  return files;
}

/**
 * Writes files sent by a worker into the study directory, each atomically (a temporary file
 * renamed), results.json last so a run counts as finished only with everything beside it.
 * A path leaving the study directory is refused.
 */
export async function writeUnitFiles(
  directory: string,
  files: Record<string, string>,
): Promise<void> {
  const last = (path: string) => (path.endsWith('/results.json') ? 1 : 0);
  const paths = Object.keys(files).sort((a, b) => last(a) - last(b) || (a < b ? -1 : 1));
  for (const path of paths) {
    const target = join(directory, path);
    const inside = relative(directory, target);
    if (inside.startsWith('..') || inside === '') throw new Error(`refused to write ${path}`);
    await mkdir(dirname(target), { recursive: true });
    const temporary = `${target}.${process.pid}.part`;
    await writeFile(temporary, Buffer.from(files[path]!, 'base64'));
    await rename(temporary, target);
  }
}
