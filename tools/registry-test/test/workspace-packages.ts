import { execFile } from 'node:child_process';
import { readdirSync, readFileSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';

export const repositoryRoot = fileURLToPath(new URL('../../..', import.meta.url));
const run = promisify(execFile);

export interface WorkspacePackage {
  name: string;
  version: string;
  directory: string;
}

/** Every package of the workspace that is not private: what `pnpm publish -r` publishes. */
export function publishablePackages(): WorkspacePackage[] {
  const found: WorkspacePackage[] = [];
  for (const group of ['packages', 'plugins', 'apps', 'tools', 'examples']) {
    for (const entry of readdirSync(join(repositoryRoot, group), { withFileTypes: true })) {
      const manifest = join(repositoryRoot, group, entry.name, 'package.json');
      if (!entry.isDirectory() || !existsSync(manifest)) continue;
      const pjson = JSON.parse(readFileSync(manifest, 'utf8')) as {
        name: string;
        version: string;
        private?: boolean;
      };
      if (!pjson.private)
        found.push({
          name: pjson.name,
          version: pjson.version,
          directory: join(group, entry.name),
        });
    }
  }
  return found.sort((a, b) => a.name.localeCompare(b.name));
}

/**
 * Packs a package with pnpm, as `pnpm publish` would (workspace: ranges rewritten, prepack run),
 * and returns the tarball's path.
 */
export async function pnpmPack(directory: string, destination: string): Promise<string> {
  const { stdout } = await run('pnpm', ['pack', '--pack-destination', destination], {
    cwd: join(repositoryRoot, directory),
    maxBuffer: 16 * 1024 * 1024,
  });
  const tarball = stdout
    .trim()
    .split('\n')
    .map((line) => line.trim())
    .reverse()
    .find((line) => line.endsWith('.tgz'));
  if (!tarball) throw new Error(`pnpm pack in ${directory} printed no tarball:\n${stdout}`);
  return tarball.startsWith('/') ? tarball : join(destination, tarball);
}
