import type { ChildProcess } from 'node:child_process';
import { EventEmitter } from 'node:events';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { processPoolExecutor } from '../src/study/process-pool-executor.js';
import { runStudy } from '../src/study/run-study.js';
import { UnitFailedError } from '../src/study/study-executor.js';
import type { StudyManifest } from '../src/study/study-manifest.js';
import { resolveStudy, type ResolvedStudy } from '../src/study/study-setup.js';
import { serveUnit, type UnitMessage, type UnitRequest } from '../src/study/unit-process.js';
import { fileWritingExecutor } from './file-writing-executor.js';
import { repositoryRoot } from './paths.js';

const STUDY_TINY = join(repositoryRoot, 'apps/cli/test/fixtures/study/study-tiny.yaml');
const tick = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

interface Behaviour {
  /** ms a run takes (default 20). */
  ms?: Record<string, number>;
  /** A run that throws (a reported failure) or whose process dies without a word. */
  failOn?: string;
  crashOn?: string;
}

/**
 * A unit process in this process: `serveUnit` on one end of an in-memory channel, the pool on
 * the other, with a ChildProcess's events (message, exit, close) and kill.
 */
class FakeUnitProcess extends EventEmitter {
  readonly stderr = new PassThrough();
  exitCode: number | null = null;
  signalCode: NodeJS.Signals | null = null;
  private request!: (request: UnitRequest) => void;
  private readonly requested = new Promise<UnitRequest>((resolve) => (this.request = resolve));

  constructor(
    behaviour: Behaviour,
    readonly log: { started: string[]; live: number; maxLive: number },
  ) {
    super();
    log.live++;
    log.maxLive = Math.max(log.maxLive, log.live);
    void this.serve(behaviour);
  }

  send(message: UnitRequest): boolean {
    this.log.started.push(message.unit.id);
    this.request(message);
    return true;
  }

  kill(signal: NodeJS.Signals = 'SIGTERM'): boolean {
    this.end(null, signal);
    return true;
  }

  private async serve(behaviour: Behaviour) {
    const request = await this.requested;
    if (behaviour.crashOn !== undefined && request.unit.run?.id === behaviour.crashOn) {
      this.stderr.write('FATAL: out of memory\n');
      await tick(5);
      return this.end(134, null);
    }
    const done = await serveUnit({
      channel: {
        request: async () => request,
        send: async (message: UnitMessage) => {
          if (this.exitCode === null && this.signalCode === null)
            setImmediate(() => this.emit('message', structuredClone(message)));
        },
      },
      executor: async () =>
        fileWritingExecutor({
          ...(behaviour.failOn ? { failOn: behaviour.failOn } : {}),
          pause: (run) => behaviour.ms?.[run] ?? 20,
          log: 'run directory: somewhere',
        }).executor,
    });
    await tick(2);
    this.end(done ? 0 : 1, null);
  }

  private end(code: number | null, signal: NodeJS.Signals | null) {
    if (this.exitCode !== null || this.signalCode !== null) return;
    this.exitCode = code;
    this.signalCode = signal;
    this.log.live--;
    setImmediate(() => {
      this.emit('exit', code, signal);
      this.emit('close', code, signal);
    });
  }
}

describe('processPoolExecutor: units in their own processes, N at once', () => {
  let study: ResolvedStudy;
  let log: { started: string[]; live: number; maxLive: number };
  beforeEach(async () => {
    const directory = await mkdtemp(join(tmpdir(), 'stem-pool-'));
    study = await resolveStudy({ config: STUDY_TINY, out: directory });
    log = { started: [], live: 0, maxLive: 0 };
  });
  afterEach(() => rm(study.directory, { recursive: true, force: true }));

  const pool = (jobs: number, behaviour: Behaviour = {}, statusEveryMs?: number) =>
    processPoolExecutor({
      jobs,
      ...(statusEveryMs ? { statusEveryMs } : {}),
      start: () => new FakeUnitProcess(behaviour, log) as unknown as ChildProcess,
    });

  it('runs every unit, at most N at once and the longest first, and records each step', async () => {
    const lines: string[] = [];
    const executor = pool(2, { ms: { 'stl-pos-s1': 60, 'mtl2-dp-s1': 60 } }, 25);
    const outcome = await runStudy(study, {
      executor,
      progress: (event) => {
        if (event.type !== 'training') lines.push(event.message);
      },
    });
    expect(log.maxLive).toBe(2);
    // Estimated steps: the MTL runs (two tasks' batches an epoch) before the single-task ones,
    // grid order among equals; the static probes (no training) last.
    expect(log.started.slice(0, 2)).toEqual(['mtl2-s1', 'mtl2-dp-s1']);
    expect(log.started.at(-1)).toBe('static');
    expect(new Set(log.started).size).toBe(7);
    // Awaited, reported and recorded in the order they started.
    expect(outcome.ran.slice(0, 3)).toEqual(['mtl2-s1', 'mtl2-s1-pos', 'mtl2-s1-dep']);
    const manifest = JSON.parse(
      await readFile(join(study.directory, 'study.json'), 'utf8'),
    ) as StudyManifest;
    for (const run of study.grid.runs) {
      expect(manifest.steps[run.id]).toMatchObject({ state: 'finished', updates: 7 });
      expect(manifest.steps[run.id]!.seconds).toBeGreaterThan(0);
    }
    // The unit's own lines carry its id; the progress line says why it has no ETA.
    expect(lines).toContain('stl-dp-pos-s1: run directory: somewhere');
    expect(lines.find((line) => line.startsWith('study: '))).toMatch(
      /ETA: not measured \(up to 2 units at once\)$/,
    );
    // Where each unit under way is, though the study waits for another (grid order).
    expect(lines).toContainEqual(
      expect.stringMatching(
        /^units: \d of 7 done, \d waiting; under way: (.*, )?mtl2-dp-s1 epoch 1\/1 step 1\/4/,
      ),
    );
  });

  it('stops at the first failure of any unit, names it, records it, and starts nothing more', async () => {
    // mtl2-s1 (started and awaited first) is still under way when mtl2-dp-s1 fails.
    const executor = pool(2, { failOn: 'mtl2-dp-s1', ms: { 'mtl2-s1': 400 } });
    const failure = await runStudy(study, { executor }).catch((error: unknown) => error);
    await executor.close();
    expect(failure).toBeInstanceOf(UnitFailedError);
    expect((failure as UnitFailedError).code).toBe('STUDY_UNIT_FAILED');
    expect((failure as Error).message).toBe('unit mtl2-dp-s1 failed: mtl2-dp-s1 diverged');
    const manifest = JSON.parse(
      await readFile(join(study.directory, 'study.json'), 'utf8'),
    ) as StudyManifest;
    expect(manifest.steps['mtl2-dp-s1']).toMatchObject({
      state: 'failed',
      error: 'unit mtl2-dp-s1 failed: mtl2-dp-s1 diverged',
    });
    // The awaited run was stopped, not failed: it resumes next time.
    expect(manifest.steps['mtl2-s1']!.state).toBe('pending');
    expect(log.started).not.toContain('static');
    expect(log.live).toBe(0);
  });

  it('names a unit process that dies without a word by its exit code and last stderr lines', async () => {
    const executor = pool(1, { crashOn: 'mtl2-s1' });
    const failure = await runStudy(study, { executor }).catch((error: unknown) => error);
    expect((failure as Error).message).toBe(
      'unit mtl2-s1 failed: its process exited with code 134: FATAL: out of memory',
    );
    expect(log.started).toEqual(['mtl2-s1']);
  });

  it('refuses a number of jobs below one', () => {
    expect(() => pool(0)).toThrow('--jobs must be a whole number of 1 or more, not 0');
  });
});
