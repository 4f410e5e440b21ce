import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { skipUnless } from '@stem/testing/requirements';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  cliNotBuilt,
  cliRoot,
  envelope,
  isolatedHome,
  repositoryRoot,
  runStem,
} from './run-stem.js';
import { TestRedis, freePort, redisServerPath } from './redis-server.js';

const STUDY = join(cliRoot, 'test/fixtures/study/study-tiny.yaml');
const REDIS = redisServerPath();
/** The queue of study-tiny (named after the study). */
const QUEUE = 'bull:stem-study-study-tiny';
/** The units of study-tiny's grid: six runs with their probes, and the static probes. */
const UNITS = [
  'mtl2-dp-s1',
  'mtl2-s1',
  'static',
  'stl-dep-s1',
  'stl-dp-dep-s1',
  'stl-dp-pos-s1',
  'stl-pos-s1',
];
/** Killed workers' units come back after lock + stalled interval: seconds here, not a minute. */
const FAST_STALLS = ['--stalled-interval', '1000', '--lock-duration', '4000'];

/** A stem process in the background, its stderr watched line by line. */
class Stem {
  readonly child: ChildProcess;
  stderr = '';
  stdout = '';
  readonly exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  private watchers: Array<{ pattern: RegExp; resolve: () => void }> = [];

  constructor(args: string[], env: NodeJS.ProcessEnv) {
    this.child = spawn(process.execPath, [join(cliRoot, 'bin/run.js'), ...args], {
      cwd: repositoryRoot,
      env: { ...process.env, ...env, NO_COLOR: '1' },
    });
    this.child.stderr!.on('data', (chunk: Buffer) => {
      this.stderr += chunk.toString();
      this.watchers = this.watchers.filter((w) => {
        if (!w.pattern.test(this.stderr)) return true;
        w.resolve();
        return false;
      });
    });
    this.child.stdout!.on('data', (chunk: Buffer) => (this.stdout += chunk.toString()));
    this.exited = new Promise((resolve) =>
      this.child.on('exit', (code, signal) => resolve({ code, signal })),
    );
  }

  /** Resolves once stderr matches (rejects if the process exits first). */
  waitFor(pattern: RegExp): Promise<void> {
    if (pattern.test(this.stderr)) return Promise.resolve();
    return Promise.race([
      new Promise<void>((resolve) => this.watchers.push({ pattern, resolve })),
      this.exited.then(() => {
        if (!pattern.test(this.stderr))
          throw new Error(`exited before ${pattern}:\n${this.stderr}`);
      }),
    ]);
  }

  async stop(): Promise<void> {
    if (this.child.exitCode === null && this.child.signalCode === null) this.child.kill('SIGTERM');
    await this.exited;
  }
}

/** Every table of the report, by file name. */
async function reportTables(directory: string): Promise<Record<string, string>> {
  const folder = join(directory, 'report', 'tables');
  const tables: Record<string, string> = {};
  for (const name of (await readdir(folder)).filter((n) => n.endsWith('.md')).sort())
    tables[name] = await readFile(join(folder, name), 'utf8');
  return tables;
}

/** results.json of every run and pruning run, timings left out, and every probe result. */
async function studyResults(directory: string, only?: string[]): Promise<Record<string, unknown>> {
  const found: Record<string, unknown> = {};
  for (const folder of ['runs', 'pruning'].filter((f) => existsSync(join(directory, f))))
    for (const run of (await readdir(join(directory, folder))).sort()) {
      if (only && !only.includes(`${folder}/${run}`)) continue;
      const results = JSON.parse(
        await readFile(join(directory, folder, run, 'results.json'), 'utf8'),
      ) as Record<string, unknown>;
      found[`${folder}/${run}`] = { dev: results.dev, test: results.test, steps: results.steps };
      const gates = join(directory, folder, run, 'pruning', 'gates.json');
      if (existsSync(gates))
        found[`${folder}/${run}/gates`] = JSON.parse(await readFile(gates, 'utf8'));
    }
  return found;
}

/** The coordinator's ledger: how often each unit was recorded. */
async function recordedUnits(directory: string): Promise<Record<string, number>> {
  const counts: Record<string, number> = {};
  const lines = (await readFile(join(directory, 'queue-ledger.ndjson'), 'utf8')).trim().split('\n');
  for (const line of lines) {
    const entry = JSON.parse(line) as { unit: string; recorded: boolean };
    if (entry.recorded) counts[entry.unit] = (counts[entry.unit] ?? 0) + 1;
  }
  return counts;
}

/** The units whose job on the queue still holds file payloads (data or return value). */
function jobsWithFiles(redis: TestRedis, db: number, units: string[]): string[] {
  return units.filter((unit) => {
    const job = `${QUEUE}:${unit}`;
    expect(redis.cli(['-n', String(db), 'EXISTS', job])).toBe('1');
    const data = JSON.parse(redis.cli(['-n', String(db), 'HGET', job, 'data'])) as object;
    const value = redis.cli(['-n', String(db), 'HGET', job, 'returnvalue']);
    return 'files' in data || (value !== '' && 'files' in (JSON.parse(value) as object));
  });
}

const once = Object.fromEntries(UNITS.map((unit) => [unit, 1]));
/** `--tasks pos`: STL POS, its pruning run and the static probes. */
const POS_UNITS = { 'stl-pos-s1': 1, 'stl-dp-pos-s1': 1, static: 1 };
const POS_RUNS = ['runs/stl-pos-s1', 'pruning/stl-dp-pos-s1'];

// Queue mechanics do not depend on the compute path: CI's second pass (plain wasm, Node 22)
// leaves them to the first, as it does the registry install.
const skipped =
  cliNotBuilt('commands/worker.js') ||
  skipUnless(REDIS !== undefined, 'redis-server is not installed (apt-get install redis-server)') ||
  skipUnless(
    process.env.STEM_SKIP_SLOW_TESTS !== '1',
    'STEM_SKIP_SLOW_TESTS=1: the queue tests (minutes of studies on a real redis-server) are off',
    { allowedInCI: ".ci/run's second pass, after the first ran them" },
  );

describe.skipIf(skipped)('stem study --queue and stem worker', () => {
  let work: string;
  let env: NodeJS.ProcessEnv;
  let redis: TestRedis;
  let reference: string;
  const running: Stem[] = [];
  const stem = (args: string[], extra: NodeJS.ProcessEnv = {}) => {
    const started = new Stem(args, { ...env, ...extra });
    running.push(started);
    return started;
  };
  const worker = (url: string, name: string, extra: string[] = []) =>
    stem([
      'worker',
      '-c',
      STUDY,
      '--queue',
      url,
      '--name',
      name,
      '--work',
      join(work, 'workers', name),
      ...FAST_STALLS,
      ...extra,
    ]);
  const coordinator = (url: string, out: string, extra: string[] = []) =>
    stem([
      'study',
      '-c',
      STUDY,
      '--queue',
      url,
      '--out',
      out,
      '--poll-ms',
      '200',
      '--backoff-ms',
      '500',
      '--json',
      ...extra,
    ]);

  beforeAll(async () => {
    // CI installs redis-server (.ci/run): there a missing one fails instead of skipping.
    expect(REDIS, 'redis-server is not installed (apt-get install redis-server)').toBeDefined();
    work = await mkdtemp(join(tmpdir(), 'stem-queue-'));
    // One thread everywhere: results equal the in-process study's at the same thread count.
    env = { ...(await isolatedHome()), STEM_THREADS: '1' };
    redis = new TestRedis(REDIS!, await freePort(), work);
    await redis.start();
    reference = join(work, 'in-process');
    const local = await runStem(['study', '-c', STUDY, '--out', reference, '--json'], env);
    expect(local.code, local.stderr).toBe(0);
  }, 300_000);

  afterAll(async () => {
    for (const started of running) await started.stop();
    await redis?.stop();
    if (work) await rm(work, { recursive: true, force: true });
  });

  it('with 3 workers, writes the results and report tables of the in-process study', async () => {
    const url = redis.url(1);
    const out = join(work, 'three-workers');
    // w3 runs two units at once: in one process they must not disturb each other's results.
    const workers = [
      worker(url, 'w1'),
      worker(url, 'w2'),
      worker(url, 'w3', ['--concurrency', '2']),
    ];
    const study = coordinator(url, out);
    const { code } = await study.exited;
    expect(code, study.stderr).toBe(0);
    expect(envelope({ code: code ?? 1, stdout: study.stdout, stderr: study.stderr }).ok).toBe(true);
    expect(await studyResults(out)).toEqual(await studyResults(reference));
    expect(await reportTables(out)).toEqual(await reportTables(reference));
    expect(await recordedUnits(out)).toEqual(once);
    // No checkpoints travel: the study directory has none, the workers keep theirs.
    expect(existsSync(join(out, 'runs', 'stl-pos-s1', 'checkpoints'))).toBe(false);
    // More than one worker took units.
    const ledger = await readFile(join(out, 'queue-ledger.ndjson'), 'utf8');
    const by = new Set(
      ledger
        .trim()
        .split('\n')
        .map((l) => (JSON.parse(l) as { worker: string }).worker),
    );
    expect(by.size).toBeGreaterThan(1);
    // Written into the study directory, the units' files are gone from Redis (the jobs stay).
    expect(jobsWithFiles(redis, 1, UNITS)).toEqual([]);
    for (const w of workers) await w.stop();
  }, 120_000);

  it('a worker killed with SIGKILL mid-run: the study finishes, no unit lost or recorded twice', async () => {
    const url = redis.url(2);
    const out = join(work, 'killed-worker');
    const victim = worker(url, 'victim');
    const study = coordinator(url, out, ['--tasks', 'pos']);
    // The victim alone at first, so it surely holds a unit when it is killed mid-training.
    await victim.waitFor(/stl-pos-s1: stl-pos-s1 started/);
    await new Promise((resolve) => setTimeout(resolve, 1500));
    victim.child.kill('SIGKILL');
    expect((await victim.exited).signal).toBe('SIGKILL');
    const survivor = worker(url, 'survivor');
    const { code } = await study.exited;
    expect(code, study.stderr).toBe(0);
    expect(await recordedUnits(out)).toEqual(POS_UNITS);
    // The victim's unit went to the survivor, which ran it from step 0, to the same results.
    expect(survivor.stderr).toMatch(/stl-pos-s1: stl-pos-s1 started/);
    expect(await studyResults(out)).toEqual(await studyResults(reference, POS_RUNS));
    await survivor.stop();
  }, 150_000);

  it('a worker killed after a checkpoint and restarted on the same machine resumes the unit from it', async () => {
    const url = redis.url(7);
    const out = join(work, 'resumed-worker');
    const checkpoint = join(
      work,
      'workers',
      'local',
      'runs',
      'stl-pos-s1',
      'checkpoints',
      'last',
      'state.json',
    );
    const first = worker(url, 'local');
    const study = coordinator(url, out, ['--only', 'stl', '--tasks', 'pos']);
    while (!existsSync(checkpoint)) await new Promise((resolve) => setTimeout(resolve, 50));
    first.child.kill('SIGKILL');
    await first.exited;
    expect(existsSync(join(work, 'workers', 'local', 'runs', 'stl-pos-s1', 'results.json'))).toBe(
      false,
    );
    // The same --work directory: BullMQ hands the unit back once its lock has expired.
    const again = worker(url, 'local');
    const { code } = await study.exited;
    expect(code, study.stderr).toBe(0);
    expect(again.stderr).toMatch(/stl-pos-s1: resuming .*runs\/stl-pos-s1/);
    expect(await recordedUnits(out)).toEqual({ 'stl-pos-s1': 1 });
    expect(await studyResults(out)).toEqual(await studyResults(reference, ['runs/stl-pos-s1']));
    await again.stop();
  }, 90_000);

  it('redis-server stopped and restarted mid-study (AOF): the study finishes', async () => {
    const url = redis.url(3);
    const out = join(work, 'redis-restart');
    const w = worker(url, 'steady');
    // POS only (three units), to keep the test short.
    const study = coordinator(url, out, ['--tasks', 'pos']);
    await study.waitFor(/unit stl-pos-s1 done/);
    await redis.stop();
    await new Promise((resolve) => setTimeout(resolve, 1500));
    await redis.start();
    const { code } = await study.exited;
    expect(code, study.stderr).toBe(0);
    expect(await recordedUnits(out)).toEqual(POS_UNITS);
    expect(await studyResults(out)).toEqual(await studyResults(reference, POS_RUNS));
    await w.stop();
  }, 150_000);

  it('the coordinator killed and rerun: reattaches with no duplicate jobs and collects what finished', async () => {
    const url = redis.url(4);
    const out = join(work, 'coordinator-rerun');
    const first = coordinator(url, out, ['--tasks', 'pos']);
    await first.waitFor(/3 units added, 0 already there/);
    const w = worker(url, 'patient');
    await first.waitFor(/unit stl-pos-s1 done/);
    first.child.kill('SIGKILL');
    await first.exited;
    // The worker goes on meanwhile; the rerun finds every unit's job and adds none.
    await w.waitFor(/stl-dp-pos-s1: stl-dp-pos-s1 finished/);
    // Status meanwhile: what the killed coordinator wrote is done, what the worker finished
    // since waits on the queue, with the worker that ran it and its measured time.
    const status = await runStem(
      ['study', 'status', '-c', STUDY, '--tasks', 'pos', '--queue', url, '--out', out, '--json'],
      env,
    );
    expect(status.code, status.stderr).toBe(0);
    const { units, counts, workers, connected, etaSeconds } = envelope<{
      units: Array<{ id: string; state: string; worker?: string; seconds?: number }>;
      counts: Record<string, number>;
      workers: number;
      connected: Array<{ name: string; threads?: number; computePath?: string }>;
      etaSeconds?: number;
    }>(status).result;
    expect(units.map((u) => u.id)).toEqual(['stl-pos-s1', 'stl-dp-pos-s1', 'static']);
    expect(units[0]).toMatchObject({ state: 'done', worker: 'patient' });
    expect(units[1]).toMatchObject({ state: 'completed', worker: 'patient' });
    expect(units[1]!.seconds).toBeGreaterThan(0);
    expect(['waiting', 'active', 'completed']).toContain(units[2]!.state);
    expect(Object.values(counts).reduce((a, b) => a + b, 0)).toBe(3);
    expect(workers).toBe(1);
    // The worker with the threads it runs on (STEM_THREADS=1) and its compute path.
    expect(connected).toEqual([
      { name: 'patient', threads: 1, computePath: expect.stringMatching(/\S/) as string },
    ]);
    // The unit the worker finished holds its files on the queue until a coordinator writes them.
    expect(jobsWithFiles(redis, 4, ['stl-dp-pos-s1'])).toEqual(['stl-dp-pos-s1']);
    expect(etaSeconds).toBeGreaterThanOrEqual(0);
    // `stem study plan --queue` marks the same: finished on disk, completed on the queue.
    const plan = await runStem(
      ['study', 'plan', '-c', STUDY, '--tasks', 'pos', '--queue', url, '--out', out],
      env,
    );
    expect(plan.code, plan.stderr).toBe(0);
    expect(plan.stdout).toMatch(/^ {2}stl-dp-pos-s1 +completed +worker patient, took /m);
    expect(plan.stdout).toMatch(/^ {2}worker patient: 1 thread\(s\), \S/m);
    const again = coordinator(url, out, ['--tasks', 'pos']);
    const { code } = await again.exited;
    expect(code, again.stderr).toBe(0);
    expect(again.stderr).toMatch(/0 units added, 2 already there/);
    expect(redis.cli(['-n', '4', 'ZCARD', `${QUEUE}:completed`])).toBe('3');
    expect(redis.cli(['-n', '4', 'ZCARD', `${QUEUE}:failed`])).toBe('0');
    expect(await recordedUnits(out)).toEqual(POS_UNITS);
    expect(await studyResults(out)).toEqual(await studyResults(reference, POS_RUNS));
    expect(jobsWithFiles(redis, 4, Object.keys(POS_UNITS))).toEqual([]);
    await w.stop();
  }, 150_000);

  it('Ctrl-C: a worker hands its unit back, the coordinator stops; another worker and a rerun finish the study', async () => {
    const url = redis.url(8);
    const out = join(work, 'interrupted');
    // An idle worker stops at once on SIGTERM, with 143.
    const idle = worker(url, 'idle');
    await idle.waitFor(/taking units/);
    idle.child.kill('SIGTERM');
    expect((await idle.exited).code).toBe(143);
    expect(idle.stderr).toMatch(/^worker stopped by SIGTERM: 0 units done, none under way$/m);
    // A worker stopped with SIGINT while it trains a unit gives it back to the queue.
    const busy = worker(url, 'busy');
    const first = coordinator(url, out, ['--only', 'stl', '--tasks', 'pos']);
    await busy.waitFor(/stl-pos-s1: stl-pos-s1 started/);
    busy.child.kill('SIGINT');
    expect((await busy.exited).code).toBe(130);
    expect(busy.stderr).toMatch(
      /^worker stopped by SIGINT: 0 units done, stl-pos-s1 handed back to the queue$/m,
    );
    // Handed back, not left to a stall: the unit waits for the next worker.
    expect(redis.cli(['-n', '8', 'LRANGE', `${QUEUE}:wait`, '0', '-1'])).toBe('stl-pos-s1');
    // The coordinator stopped with SIGINT closes its connections and exits 130.
    first.child.kill('SIGINT');
    const stopped = await first.exited;
    expect(stopped.code, first.stderr).toBe(130);
    expect(first.stderr).toMatch(/^study study-tiny stopped by SIGINT: rerun the same command/m);
    expect(envelope({ code: 1, stdout: first.stdout, stderr: first.stderr }).error?.code).toBe(
      'STUDY_ABORTED',
    );
    // Another worker runs the unit; the rerun coordinator collects it.
    const next = worker(url, 'next');
    const again = coordinator(url, out, ['--only', 'stl', '--tasks', 'pos']);
    const { code } = await again.exited;
    expect(code, again.stderr).toBe(0);
    expect(again.stderr).toMatch(/0 units added, 1 already there/);
    expect(next.stderr).toMatch(/stl-pos-s1: stl-pos-s1 started/);
    expect(await recordedUnits(out)).toEqual({ 'stl-pos-s1': 1 });
    expect(await studyResults(out)).toEqual(await studyResults(reference, ['runs/stl-pos-s1']));
    await next.stop();
  }, 120_000);

  it('a worker of another study config is refused and says why; the unit waits for a matching one', async () => {
    const url = redis.url(5);
    const out = join(work, 'refused');
    const odd = worker(url, 'odd', ['--set', 'trainer.epochs=3']);
    await odd.waitFor(/taking units/);
    const study = coordinator(url, out, ['--only', 'static']);
    const refused = await odd.exited;
    expect(refused.code).toBe(1);
    expect(odd.stderr).toMatch(
      /worker odd refused unit static of queue stem-study-study-tiny: its study-config hash \w+ differs from this worker's \w+/,
    );
    expect(odd.stderr).not.toMatch(/^\s+at /m);
    const good = worker(url, 'good');
    const { code } = await study.exited;
    expect(code, study.stderr).toBe(0);
    expect(await recordedUnits(out)).toEqual({ static: 1 });
    await good.stop();
  }, 90_000);

  it('a unit that fails on every try ends the study with its error and the worker that hit it', async () => {
    const url = redis.url(6);
    const out = join(work, 'failing');
    // Its work directory is a file: the static probes cannot be written there.
    const blocked = join(work, 'not-a-directory');
    await writeFile(blocked, '');
    const broken = stem([
      'worker',
      '-c',
      STUDY,
      '--queue',
      url,
      '--name',
      'broken',
      '--work',
      blocked,
    ]);
    const study = coordinator(url, out, ['--only', 'static', '--attempts', '2']);
    const { code } = await study.exited;
    expect(code).toBe(1);
    const { error } = envelope({ code: 1, stdout: study.stdout, stderr: study.stderr });
    expect(error?.code).toBe('STUDY_UNIT_FAILED');
    expect(error?.message).toMatch(/^unit static failed 2 time\(s\): on worker broken: /);
    expect(error?.hint).toMatch(/rerun the same stem study --queue command/);
    await broken.stop();
    // The cause fixed (a worker that can write), the rerun retries the failed unit.
    const fixed = worker(url, 'fixed');
    const rerun = coordinator(url, out, ['--only', 'static', '--attempts', '2']);
    expect((await rerun.exited).code, rerun.stderr).toBe(0);
    expect(await recordedUnits(out)).toEqual({ static: 1 });
    await fixed.stop();
  }, 60_000);

  it('a worker that cannot reach Redis says which URL, without a stack trace', async () => {
    const port = await freePort();
    const run = await runStem(
      ['worker', '-c', STUDY, '--queue', `redis://:secret@127.0.0.1:${port}`],
      env,
    );
    expect(run.code).toBe(1);
    expect(run.stderr).toContain(
      `cannot reach Redis at redis://:***@127.0.0.1:${port}: connect ECONNREFUSED`,
    );
    expect(run.stderr).not.toContain('secret');
    expect(run.stderr).not.toMatch(/^\s+at /m);
  }, 30_000);
});
