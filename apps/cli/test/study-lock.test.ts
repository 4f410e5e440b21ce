import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import { STUDY_LOCK_FILE } from '@stem/study';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { cliNotBuilt, cliRoot, isolatedHome, runStem } from './run-stem.js';

// The lock itself is tested in packages/study/test/study-lock.test.ts; here, the commands.
describe('study lock: the commands', () => {
  let directory: string;
  beforeEach(async () => {
    directory = await mkdtemp(join(tmpdir(), 'stem-lock-'));
  });
  afterEach(() => rm(directory, { recursive: true, force: true }));

  it.skipIf(cliNotBuilt('commands/study/index.js'))(
    'stem study refuses a directory another live study holds; stem study plan names it',
    async () => {
      const holder = spawn(process.execPath, ['-e', 'setTimeout(() => {}, 60000)']);
      try {
        await writeFile(
          join(directory, STUDY_LOCK_FILE),
          JSON.stringify({ pid: holder.pid, hostname: hostname(), startedAt: 'now' }),
        );
        const env = await isolatedHome();
        const study = join(cliRoot, 'test/fixtures/study/study-tiny.yaml');
        const run = await runStem(['study', '-c', study, '--out', directory], env);
        expect(run.code).not.toBe(0);
        expect(run.stderr).toContain(`in use by another stem study (pid ${holder.pid}`);
        // Nothing was started in the directory.
        expect(existsSync(join(directory, 'study.json'))).toBe(false);
        const plan = await runStem(['study', 'plan', '-c', study, '--out', directory], env);
        expect(plan.code, plan.stderr).toBe(0);
        expect(plan.stdout).toContain(`running now: stem study pid ${holder.pid}`);
      } finally {
        holder.kill();
      }
    },
    60_000,
  );
});
