import { skipUnless } from '@stem/testing/requirements';
import { existsSync } from 'node:fs';
import { execFile } from 'node:child_process';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const cliRoot = fileURLToPath(new URL('..', import.meta.url));
export const repositoryRoot = fileURLToPath(new URL('../../..', import.meta.url));

/**
 * For `skipIf`: true where the built command `dist/<command>` is missing. The CLI tests run the
 * built commands; in CI that fails instead (CI builds before it tests).
 */
export function cliNotBuilt(command: string): boolean {
  return skipUnless(
    existsSync(join(cliRoot, 'dist', command)),
    `apps/cli/dist/${command} is missing: run \`pnpm build\` first (these tests run the built CLI)`,
  );
}

const bin = join(cliRoot, 'bin', 'run.js');

export interface StemRun {
  code: number;
  stdout: string;
  stderr: string;
}

/** Private oclif data/cache/config directories, so installed plugins never leak between tests. */
export async function isolatedHome(): Promise<NodeJS.ProcessEnv> {
  const home = await mkdtemp(join(tmpdir(), 'stem-cli-test-'));
  return {
    STEM_DATA_DIR: join(home, 'data'),
    STEM_CACHE_DIR: join(home, 'cache'),
    STEM_CONFIG_DIR: join(home, 'config'),
  };
}

/** Runs the built CLI as a user would (a separate process), never throwing on a non-zero exit. */
export function runStem(
  args: string[],
  env: NodeJS.ProcessEnv = {},
  cwd = repositoryRoot,
  /** Run as this user (needs root): how tests meet permissions root would ignore. */
  user?: { uid: number; gid: number },
): Promise<StemRun> {
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      [bin, ...args],
      {
        cwd,
        env: { ...process.env, ...env, NO_COLOR: '1' },
        maxBuffer: 64 * 1024 * 1024,
        timeout: 300_000,
        ...(user ?? {}),
      },
      (error, stdout, stderr) => {
        const code = error ? (typeof error.code === 'number' ? error.code : 1) : 0;
        resolve({ code, stdout, stderr });
      },
    );
  });
}

/** Parses a `--json` envelope, failing with the process output when stdout is not JSON. */
export function envelope<T = Record<string, unknown>>(
  run: StemRun,
): {
  stem: number;
  command: string;
  ok: boolean;
  result: T;
  error?: { code: string; message: string; hint?: string };
  warnings: string[];
} {
  try {
    return JSON.parse(run.stdout);
  } catch {
    throw new Error(
      `stdout is not JSON (exit ${run.code}).\nstdout:\n${run.stdout}\nstderr:\n${run.stderr}`,
    );
  }
}
