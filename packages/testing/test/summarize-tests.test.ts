import { execFile } from 'node:child_process';
import { mkdtemp, mkdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';

// CI's one-line test summary (tools/ci/summarize-tests.mjs) and its rule on skips, run on
// vitest reports written here by hand.
const SCRIPT = fileURLToPath(new URL('../../../tools/ci/summarize-tests.mjs', import.meta.url));

interface Outcome {
  code: number;
  stdout: string;
  stderr: string;
}

function summarize(projects: string[], ci: boolean): Promise<Outcome> {
  const env = { ...process.env };
  if (ci) env['CI'] = 'true';
  else delete env['CI'];
  return new Promise((resolve) => {
    execFile(process.execPath, [SCRIPT, ...projects], { env }, (error, stdout, stderr) => {
      resolve({ code: error ? Number(error.code ?? 1) : 0, stdout, stderr });
    });
  });
}

type Status = 'passed' | 'failed' | 'skipped' | 'todo';

async function project(
  root: string,
  name: string,
  files: Record<string, Status[]>,
  reasons: { file: string; reason: string; allowedInCI: string | null }[] = [],
): Promise<string> {
  const directory = join(root, name);
  await mkdir(directory, { recursive: true });
  const testResults = Object.entries(files).map(([file, statuses]) => ({
    name: join(directory, file),
    status: statuses.includes('failed') ? 'failed' : 'passed',
    assertionResults: statuses.map((status) => ({ status })),
  }));
  const count = (status: Status): number =>
    Object.values(files)
      .flat()
      .filter((s) => s === status).length;
  await writeFile(
    join(directory, '.vitest-results.json'),
    JSON.stringify({
      numPassedTests: count('passed'),
      numFailedTests: count('failed'),
      numPendingTests: count('skipped'),
      numTodoTests: count('todo'),
      testResults,
    }),
  );
  if (reasons.length > 0)
    await writeFile(
      join(directory, '.vitest-skip-reasons.ndjson'),
      reasons.map((r) => JSON.stringify({ ...r, file: join(directory, r.file) })).join('\n'),
    );
  return directory;
}

describe('tools/ci/summarize-tests.mjs', () => {
  let root: string;
  beforeEach(async () => {
    root = await mkdtemp(join(tmpdir(), 'stem-summary-'));
  });
  afterEach(() => rm(root, { recursive: true, force: true }));

  it('sums the projects and passes when nothing failed or was skipped', async () => {
    const a = await project(root, 'a', { 'x.test.ts': ['passed', 'passed'] });
    const b = await project(root, 'b', { 'y.test.ts': ['passed'] });
    const outcome = await summarize([a, b], true);
    expect(outcome.stdout).toContain('3 passed, 0 failed, 0 skipped');
    expect(outcome.code).toBe(0);
  });

  it('fails on a failed test and on a missing report', async () => {
    const a = await project(root, 'a', { 'x.test.ts': ['passed', 'failed'] });
    expect((await summarize([a], false)).code).toBe(1);
    const ok = await project(root, 'ok', { 'x.test.ts': ['passed'] });
    const missing = await summarize([ok, join(root, 'never-ran')], false);
    expect(missing.code).toBe(1);
    expect(missing.stderr).toContain('no test report in');
  });

  it('fails on a file that failed to load (no failed test inside it)', async () => {
    const a = await project(root, 'a', { 'x.test.ts': [] });
    const report = join(a, '.vitest-results.json');
    await writeFile(
      report,
      JSON.stringify({
        numPassedTests: 0,
        numFailedTests: 0,
        numPendingTests: 0,
        testResults: [{ name: join(a, 'x.test.ts'), status: 'failed', assertionResults: [] }],
      }),
    );
    expect((await summarize([a], true)).code).toBe(1);
  });

  it('lists skips with their reasons; outside CI a skip passes, warned when it has none', async () => {
    const a = await project(
      root,
      'a',
      { 'x.test.ts': ['passed', 'skipped'], 'y.test.ts': ['skipped'] },
      [{ file: 'x.test.ts', reason: 'dist is missing', allowedInCI: null }],
    );
    const outcome = await summarize([a], false);
    expect(outcome.code).toBe(0);
    expect(outcome.stdout).toMatch(/x\.test\.ts: 1 skipped: dist is missing/);
    expect(outcome.stderr).toMatch(/warn .*y\.test\.ts: 1 skipped without a stated reason/);
  });

  it('in CI fails on a skip without a reason, and on one whose reason does not allow CI', async () => {
    const unexplained = await project(root, 'u', { 'y.test.ts': ['passed', 'todo'] });
    const outcome = await summarize([unexplained], true);
    expect(outcome.code).toBe(1);
    expect(outcome.stderr).toMatch(/FAIL .*y\.test\.ts: 1 skipped without a stated reason/);

    const notAllowed = await project(root, 'n', { 'x.test.ts': ['skipped'] }, [
      { file: 'x.test.ts', reason: 'dist is missing', allowedInCI: null },
    ]);
    expect((await summarize([notAllowed], true)).code).toBe(1);
  });

  it('in CI passes a skip whose reason allows CI to skip too', async () => {
    const a = await project(root, 'a', { 'x.test.ts': ['passed', 'skipped'] }, [
      { file: 'x.test.ts', reason: 'slow tests are off', allowedInCI: 'the second pass' },
    ]);
    const outcome = await summarize([a], true);
    expect(outcome.code).toBe(0);
    expect(outcome.stdout).toContain('1 passed, 0 failed, 1 skipped');
  });
});
