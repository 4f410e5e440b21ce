import { execFile } from 'node:child_process';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const repositoryRoot = fileURLToPath(new URL('../../..', import.meta.url));
/** The built CLI (apps/cli/dist), run as a user runs it. */
const bin = join(repositoryRoot, 'apps', 'cli', 'bin', 'run.js');

/** Private oclif data/cache/config directories, so nothing leaks between runs. */
export async function isolatedHome(): Promise<NodeJS.ProcessEnv> {
  const home = await mkdtemp(join(tmpdir(), 'stem-scorer-agreement-'));
  return {
    STEM_DATA_DIR: join(home, 'data'),
    STEM_CACHE_DIR: join(home, 'cache'),
    STEM_CONFIG_DIR: join(home, 'config'),
  };
}

/** Runs `stem <args> --json` and returns the envelope's result, failing with stderr on an error. */
export function stemJson<T>(args: string[], env: NodeJS.ProcessEnv): Promise<T> {
  return new Promise((resolve, reject) => {
    execFile(
      process.execPath,
      [bin, ...args, '--json'],
      {
        cwd: repositoryRoot,
        env: { ...process.env, ...env, NO_COLOR: '1' },
        maxBuffer: 64 * 1024 * 1024,
        timeout: 280_000,
      },
      (error, stdout, stderr) => {
        try {
          const envelope = JSON.parse(stdout) as { ok: boolean; result: T };
          if (envelope.ok && !error) resolve(envelope.result);
          else reject(new Error(`stem ${args.join(' ')} failed:\n${stdout}\n${stderr}`));
        } catch {
          reject(new Error(`stem ${args.join(' ')}: stdout is not JSON\n${stdout}\n${stderr}`));
        }
      },
    );
  });
}
