import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { cp, mkdtemp, readdir, readFile, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  cliNotBuilt,
  cliRoot,
  envelope,
  isolatedHome,
  repositoryRoot,
  runStem,
} from './run-stem.js';

const STUDY = join(cliRoot, 'test/fixtures/study/study-tiny.yaml');

/**
 * Starts `stem study` and SIGKILLs it as soon as a stderr line matches `killAt` (the kill
 * lands a little later: wherever the process has got to by then). Resolves with the exit
 * signal (null when the study ended first) and the stderr seen.
 */
function studyKilledAt(
  directory: string,
  killAt: RegExp,
  env: NodeJS.ProcessEnv,
  extra: string[] = [],
): Promise<{ signal: NodeJS.Signals | null; code: number | null; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(
      process.execPath,
      [join(cliRoot, 'bin/run.js'), 'study', '-c', STUDY, '--out', directory, ...extra],
      { cwd: repositoryRoot, env: { ...process.env, ...env, NO_COLOR: '1' } },
    );
    let stderr = '';
    let buffered = '';
    child.stderr.on('data', (chunk: Buffer) => {
      stderr += chunk.toString();
      buffered += chunk.toString();
      const lines = buffered.split('\n');
      buffered = lines.pop() ?? '';
      if (lines.some((line) => killAt.test(line))) child.kill('SIGKILL');
    });
    child.stdout.resume();
    child.on('exit', (code, signal) => resolve({ signal, code, stderr }));
  });
}

/** Every table of the report, by file name. */
async function reportTables(directory: string): Promise<Record<string, string>> {
  const folder = join(directory, 'report', 'tables');
  const tables: Record<string, string> = {};
  for (const name of (await readdir(folder)).filter((n) => n.endsWith('.md')).sort())
    tables[name] = await readFile(join(folder, name), 'utf8');
  return tables;
}

/** Dev and test scores of every run and pruning run (timings left out). */
async function runScores(directory: string): Promise<Record<string, unknown>> {
  const scores: Record<string, unknown> = {};
  for (const folder of ['runs', 'pruning'])
    for (const run of (await readdir(join(directory, folder))).sort()) {
      const results = JSON.parse(
        await readFile(join(directory, folder, run, 'results.json'), 'utf8'),
      ) as { dev: unknown; test?: unknown; steps: number };
      scores[`${folder}/${run}`] = { dev: results.dev, test: results.test, steps: results.steps };
    }
  return scores;
}

describe.skipIf(cliNotBuilt('commands/study/index.js'))('stem study: resumable and safe', () => {
  let work: string;
  let env: NodeJS.ProcessEnv;
  let reference: string;

  beforeAll(async () => {
    work = await mkdtemp(join(tmpdir(), 'stem-study-'));
    // One thread everywhere: --jobs 2 below gives each unit process one, and the reports are
    // compared bit for bit (OpenBLAS sums in another order with another thread count).
    env = { ...(await isolatedHome()), STEM_THREADS: '1' };
    reference = join(work, 'uninterrupted');
    const run = await runStem(['study', '-c', STUDY, '--out', reference, '--json'], env);
    expect(run.code, run.stderr).toBe(0);
  }, 120_000);
  afterAll(() => rm(work, { recursive: true, force: true }));

  it('runs the whole grid into fixed run directories, reports it, and reruns as a no-op', async () => {
    for (const run of ['stl-pos-s1', 'stl-dep-s1', 'mtl2-s1'])
      expect(existsSync(join(reference, 'runs', run, 'results.json'))).toBe(true);
    for (const run of ['stl-dp-pos-s1', 'stl-dp-dep-s1', 'mtl2-dp-s1'])
      expect(existsSync(join(reference, 'pruning', run, 'pruning', 'gates.json'))).toBe(true);
    // Each run keeps the ordinary experiment config it was made from.
    const config = await readFile(join(reference, 'runs', 'stl-pos-s1', 'config.yaml'), 'utf8');
    expect(config).toContain('stem.task.pos.softmax.v1');
    expect(config).not.toContain('stem.task.dep.biaffine.v1');
    expect(Object.keys(await reportTables(reference))).toEqual([
      'gate-correlation-1.md',
      'kept-heads.md',
      'probe-dep.md',
      'probe-pos.md',
      'task-scores.md',
    ]);
    const manifest = JSON.parse(await readFile(join(reference, 'study.json'), 'utf8')) as {
      steps: Record<string, { state: string }>;
      versions: { core: string };
    };
    expect(Object.values(manifest.steps).every((s) => s.state === 'finished')).toBe(true);
    expect(Object.keys(manifest.steps)).toHaveLength(6 + 6 + 2);
    expect(manifest.versions.core).toMatch(/^\d+\.\d+\.\d+/);

    const resultsFile = join(reference, 'runs', 'stl-pos-s1', 'results.json');
    const before = (await stat(resultsFile)).mtimeMs;
    const again = await runStem(['study', '-c', STUDY, '--out', reference, '--json'], env);
    expect(again.code, again.stderr).toBe(0);
    const summary = envelope<{ ran: string[]; skipped: string[] }>(again).result;
    expect(summary.ran).toEqual([]);
    expect(summary.skipped).toHaveLength(12);
    expect((await stat(resultsFile)).mtimeMs).toBe(before);
    // The rerun keeps what the first run recorded of its steps (their timings).
    const rerunManifest = JSON.parse(await readFile(join(reference, 'study.json'), 'utf8')) as {
      steps: Record<string, { state: string; seconds?: number }>;
    };
    expect(rerunManifest.steps['stl-pos-s1']).toMatchObject({ state: 'finished' });
    expect(rerunManifest.steps['stl-pos-s1']?.seconds).toBeGreaterThan(0);
    // A finished study leaves no lock behind.
    expect(existsSync(join(reference, 'study.lock'))).toBe(false);

    // Moved elsewhere (as docs/study-cpu was), it resumes as a no-op without warnings; a changed
    // study config is still noticed.
    const moved = join(work, 'moved');
    await cp(reference, moved, { recursive: true });
    const there = await runStem(['study', '-c', STUDY, '--out', moved, '--json'], env);
    expect(there.code, there.stderr).toBe(0);
    expect(envelope<{ ran: string[] }>(there).result.ran).toEqual([]);
    expect(there.stderr).not.toContain('finished with a different config');
    const changed = await runStem(
      ['study', '-c', STUDY, '--out', moved, '--set', 'trainer.headLearningRate=0.5', '--json'],
      env,
    );
    expect(changed.code, changed.stderr).toBe(0);
    expect(changed.stderr).toContain('runs/stl-pos-s1 finished with a different config');
  }, 90_000);

  it('killed with SIGKILL at several moments and rerun, ends with the same report', async () => {
    const directory = join(work, 'killed');
    // Mid-run after a checkpoint, during that run's probes (which follow it), at a pruning
    // run's start, and between a pruning run's results and its gates summary.
    const moments = [
      /^epoch 1\/2 .* 7\/7 +loss dep /,
      /now probe dep of stl-dep-s1/,
      /run directory: .*stl-dp-pos-s1/,
      /scoring the best checkpoint with the gates/,
    ];
    let finishedRun: { file: string; mtime: number } | undefined;
    const attempts: string[] = [];
    for (const moment of moments) {
      const attempt = await studyKilledAt(directory, moment, env);
      expect(attempt.signal, attempt.stderr).toBe('SIGKILL');
      attempts.push(attempt.stderr);
      const stlPos = join(directory, 'runs', 'stl-pos-s1', 'results.json');
      if (!finishedRun && existsSync(stlPos))
        finishedRun = { file: stlPos, mtime: (await stat(stlPos)).mtimeMs };
    }
    // The run killed after its first epoch went on from its checkpoint.
    expect(attempts[1]).toMatch(/resuming .*stl-dep-s1/);
    // Each rerun took over the lock of the killed process.
    expect(attempts[1]).toMatch(/taking over the lock of stem study pid \d+/);
    const last = await runStem(['study', '-c', STUDY, '--out', directory, '--json'], env);
    expect(last.code, last.stderr).toBe(0);
    // A finished result is never redone or overwritten.
    expect(finishedRun).toBeDefined();
    expect((await stat(finishedRun!.file)).mtimeMs).toBe(finishedRun!.mtime);
    expect(await reportTables(directory)).toEqual(await reportTables(reference));
    expect(await runScores(directory)).toEqual(await runScores(reference));
  }, 180_000);
  it('--jobs 2 runs the units in two processes at once and ends with the same report', async () => {
    const directory = join(work, 'jobs-2');
    const run = await runStem(
      ['study', '-c', STUDY, '--out', directory, '--jobs', '2', '--json'],
      env,
    );
    expect(run.code, run.stderr).toBe(0);
    expect(run.stderr).toContain('7 units, up to 2 at once, each in its own process');
    // The longest units (MTL: two tasks' batches an epoch) start first.
    expect(run.stderr.indexOf('mtl2-s1: run directory')).toBeLessThan(
      run.stderr.indexOf('stl-pos-s1: run directory'),
    );
    expect(await reportTables(directory)).toEqual(await reportTables(reference));
    expect(await runScores(directory)).toEqual(await runScores(reference));
    const manifest = JSON.parse(await readFile(join(directory, 'study.json'), 'utf8')) as {
      steps: Record<string, { state: string; seconds?: number }>;
    };
    for (const id of ['stl-pos-s1', 'mtl2-dp-s1', 'static-pos-s1'])
      expect(manifest.steps[id]).toMatchObject({ state: 'finished', seconds: expect.any(Number) });
  }, 120_000);

  it.skipIf(!existsSync('/proc/self/environ'))(
    '--jobs 2 killed with SIGKILL: its unit processes stop too, and a rerun ends with the same report',
    async () => {
      const directory = join(work, 'jobs-2-killed');
      // Marks this study's processes: the unit processes inherit the environment.
      const marker = `STEM_TEST_MARK=${randomUUID()}`;
      const marked = { ...env, STEM_TEST_MARK: marker.split('=')[1] };
      const attempt = await studyKilledAt(directory, /run directory: .*stl-dp-pos-s1/, marked, [
        '--jobs',
        '2',
      ]);
      expect(attempt.signal, attempt.stderr).toBe('SIGKILL');
      // Orphaned, a unit process notices its closed channel and exits.
      let alive: string[] = [];
      for (let waited = 0; waited < 20_000; waited += 250) {
        alive = await processesWith(marker);
        if (alive.length === 0) break;
        await new Promise((resolve) => setTimeout(resolve, 250));
      }
      expect(alive).toEqual([]);
      const last = await runStem(
        ['study', '-c', STUDY, '--out', directory, '--jobs', '2', '--json'],
        env,
      );
      expect(last.code, last.stderr).toBe(0);
      expect(await reportTables(directory)).toEqual(await reportTables(reference));
      expect(await runScores(directory)).toEqual(await runScores(reference));
    },
    180_000,
  );
});

/** Pids of the processes whose environment holds `entry` (Linux /proc). */
async function processesWith(entry: string): Promise<string[]> {
  const pids = (await readdir('/proc')).filter((name) => /^\d+$/.test(name));
  const found: string[] = [];
  for (const pid of pids) {
    const environ = await readFile(`/proc/${pid}/environ`, 'utf8').catch(() => '');
    if (environ.split('\0').includes(entry)) found.push(pid);
  }
  return found;
}
