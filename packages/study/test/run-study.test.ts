import { existsSync } from 'node:fs';
import { cp, mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { beforeEach, describe, expect, it } from 'vitest';
import { runStudy, type StudyEvent } from '../src/study/run-study.js';
import type { StudyExecutor } from '../src/study/study-executor.js';
import type { StudyManifest } from '../src/study/study-manifest.js';
import { resolveStudy, type ResolvedStudy } from '../src/study/study-setup.js';
import { RESULTS_FILE } from '../src/study/study-state.js';
import { fileWritingExecutor, trainingStatus as status } from './file-writing-executor.js';
import { repositoryRoot } from './paths.js';

// The tiny study of the CLI's tests: POS and DEP, one seed, every setting of the grid.
const STUDY_TINY = join(repositoryRoot, 'apps/cli/test/fixtures/study/study-tiny.yaml');

const manifestOf = async (study: ResolvedStudy) =>
  JSON.parse(await readFile(join(study.directory, 'study.json'), 'utf8')) as StudyManifest;

describe('runStudy with a pluggable executor', () => {
  let study: ResolvedStudy;
  beforeEach(async () => {
    const directory = await mkdtemp(join(tmpdir(), 'stem-run-study-'));
    study = await resolveStudy({ config: STUDY_TINY, out: join(directory, 'study') });
  });

  it('hands out each run with its probes in grid order, the static probes last, and records every step', async () => {
    const { executor, units } = fileWritingExecutor();
    const events: StudyEvent[] = [];
    const outcome = await runStudy(study, { executor, progress: (e) => events.push(e) });
    const { grid } = study;
    expect(units.map((u) => u.id)).toEqual([...grid.runs.map((r) => r.id), 'static']);
    for (const unit of units.slice(0, -1)) {
      expect(unit.run?.id).toBe(unit.id);
      expect(unit.probes.map((p) => p.id)).toEqual(
        grid.probes.filter((p) => p.run === unit.id).map((p) => p.id),
      );
    }
    expect(units.at(-1)!.probes.map((p) => p.id)).toEqual(
      grid.probes.filter((p) => p.run === undefined).map((p) => p.id),
    );
    expect(outcome.ran).toEqual(
      units.flatMap((u) => [...(u.run ? [u.run.id] : []), ...u.probes.map((p) => p.id)]),
    );
    expect(outcome.skipped).toEqual([]);

    const manifest = await manifestOf(study);
    for (const run of grid.runs)
      expect(manifest.steps[run.id]).toMatchObject({
        kind: run.kind,
        path: run.directory,
        state: 'finished',
        updates: 7,
        startedAt: expect.any(String),
        finishedAt: expect.any(String),
        seconds: expect.any(Number),
      });
    for (const probe of grid.probes)
      expect(manifest.steps[probe.id]).toMatchObject({
        kind: 'probe',
        path: probe.file,
        state: 'finished',
      });
    expect(manifest.steps['report']).toEqual({
      kind: 'report',
      path: join('report', 'index.html'),
      state: 'finished',
    });
    expect(existsSync(outcome.report.index)).toBe(true);
    // The trainer's progress comes back named by its run; progress lines name the steps.
    expect(events).toContainEqual({ type: 'training', step: grid.runs[0]!.id, status: status(1) });
    const lines = events.flatMap((e) => (e.type === 'log' ? [e.message] : []));
    expect(lines[0]).toMatch(
      new RegExp(
        `^study: 0/${grid.runs.length + grid.probes.length + 2} steps done · now ${grid.runs[0]!.directory} \\(train\\)`,
      ),
    );
  });

  it('on a rerun hands out only what is missing on disk and counts the rest as skipped, in grid order', async () => {
    await runStudy(study, { executor: fileWritingExecutor().executor });
    const { grid } = study;
    const before = await manifestOf(study);
    const run = grid.runs.find(
      (r) => r.kind === 'train' && grid.probes.some((p) => p.run === r.id),
    )!;
    const probe = grid.probes.find((p) => p.run !== undefined && p.run !== run.id)!;
    await rm(join(study.directory, run.directory, RESULTS_FILE));
    await rm(join(study.directory, probe.file));

    const { executor, units } = fileWritingExecutor();
    const outcome = await runStudy(study, { executor });
    expect(units).toEqual([
      { id: run.id, run, probes: [] },
      { id: probe.run, probes: [probe] },
    ]);
    expect(outcome.ran).toEqual([run.id, probe.id]);
    const all = [...grid.runs.map((r) => r.id), ...grid.probes.map((p) => p.id)];
    expect(outcome.skipped.sort()).toEqual(
      all.filter((id) => id !== run.id && id !== probe.id).sort(),
    );
    // A step finished before keeps the timings of the process that finished it.
    const after = await manifestOf(study);
    const untouched = grid.runs.find((r) => r.id !== run.id)!;
    expect(after.steps[untouched.id]).toEqual(before.steps[untouched.id]);
    expect(after.createdAt).toBe(before.createdAt);

    // Nothing missing: the executor is not called at all.
    const idle = fileWritingExecutor();
    const again = await runStudy(study, { executor: idle.executor });
    expect(idle.units).toEqual([]);
    expect(again.ran).toEqual([]);
  });

  it('with units scheduled elsewhere, counts what is on disk as done from the first line and prints no local-pace ETA', async () => {
    await runStudy(study, { executor: fileWritingExecutor().executor });
    const { grid } = study;
    // The first run: without the count from disk, the first line would say 0 done.
    const first = grid.runs[0]!;
    await rm(join(study.directory, first.directory, RESULTS_FILE));
    const { executor } = fileWritingExecutor();
    const events: StudyEvent[] = [];
    await runStudy(study, {
      executor: { ...executor, schedule: async () => {} },
      progress: (event) => events.push(event),
    });
    const lines = events.flatMap((e) => (e.type === 'log' ? [e.message] : []));
    const total = grid.runs.length + grid.probes.length + 2;
    // Every step but the removed run's was finished on disk: the first line already says so.
    expect(lines[0]).toMatch(
      new RegExp(
        `^study: ${total - 3}/${total} steps done · now ${first.directory} .*· ETA: see the workers$`,
      ),
    );
    expect(lines.every((line) => !/ETA \d/.test(line))).toBe(true);
  });

  it("records a step's time as its executor measured it, where it says (a queued unit's worker)", async () => {
    const { executor } = fileWritingExecutor();
    const reporting: StudyExecutor = {
      execute: (unit, scope, events) =>
        executor.execute(unit, scope, {
          ...events,
          finished: (step, result) => events.finished(step, { ...result, seconds: 1234.5 }),
        }),
    };
    await runStudy(study, { executor: reporting });
    const manifest = await manifestOf(study);
    const run = manifest.steps[study.grid.runs[0]!.id]!;
    expect(run.seconds).toBe(1234.5);
    expect(Date.parse(run.finishedAt!) - Date.parse(run.startedAt!)).toBe(1234500);
  });

  it('records a failed run with its error in study.json and rejects', async () => {
    const failing = study.grid.runs[1]!;
    const { executor } = fileWritingExecutor({ failOn: failing.id });
    await expect(runStudy(study, { executor })).rejects.toThrow(`${failing.id} diverged`);
    const manifest = await manifestOf(study);
    expect(manifest.steps[failing.id]).toMatchObject({
      state: 'failed',
      error: `${failing.id} diverged`,
      startedAt: expect.any(String),
    });
    expect(manifest.steps[study.grid.runs[0]!.id]).toMatchObject({ state: 'finished' });
    expect(manifest.steps[study.grid.runs[2]!.id]).toMatchObject({ state: 'pending' });
    // The lock is released: the study can be resumed at once.
    expect(existsSync(join(study.directory, 'study.lock'))).toBe(false);
  });

  it('stops between units when its signal is aborted (STUDY_ABORTED), leaving the study resumable', async () => {
    const { executor, units } = fileWritingExecutor();
    const controller = new AbortController();
    const stopping: StudyExecutor = {
      async execute(unit, scope, events) {
        await executor.execute(unit, scope, events);
        controller.abort();
      },
    };
    await expect(
      runStudy(study, { executor: stopping, signal: controller.signal }),
    ).rejects.toMatchObject({ code: 'STUDY_ABORTED' });
    expect(units.map((u) => u.id)).toEqual([study.grid.runs[0]!.id]);
    const resumed = fileWritingExecutor();
    await runStudy(study, { executor: resumed.executor });
    expect(resumed.units.map((u) => u.id)).toEqual([
      ...study.grid.runs.slice(1).map((r) => r.id),
      'static',
    ]);
  });

  it('calls prepare once before the units while some run is to train, and not when none is', async () => {
    const { executor } = fileWritingExecutor();
    let prepared = 0;
    const preparing: StudyExecutor = { ...executor, prepare: async () => void (prepared += 1) };
    await runStudy(study, { executor: preparing });
    expect(prepared).toBe(1);
    await runStudy(study, { executor: preparing });
    expect(prepared).toBe(1);
  });

  it('resumes a study directory made before the move as a no-op: same run configs, same report bytes', async () => {
    // The committed quick study (no checkpoints), copied: every run and probe is finished, so
    // nothing is handed out; the overlap and the report are made again from the same files.
    const committed = join(repositoryRoot, 'docs', 'study-quick');
    const copy = join(await mkdtemp(join(tmpdir(), 'stem-quick-copy-')), 'study-quick');
    await cp(committed, copy, { recursive: true });
    const cwd = process.cwd();
    process.chdir(repositoryRoot); // where the README runs the preset
    try {
      const quick = await resolveStudy({ config: 'examples/study-quick.yaml', out: copy });
      const idle = fileWritingExecutor();
      const events: StudyEvent[] = [];
      const outcome = await runStudy(quick, {
        executor: idle.executor,
        progress: (e) => events.push(e),
      });
      expect(idle.units).toEqual([]);
      expect(outcome.ran).toEqual([]);
      // Every finished run's config.yaml is what the study config generates today.
      expect(events.filter((e) => e.type === 'warning')).toEqual([]);
      const original = JSON.parse(
        await readFile(join(committed, 'study.json'), 'utf8'),
      ) as StudyManifest;
      expect((await manifestOf(quick)).steps).toEqual(original.steps);
      const files = [
        'index.html',
        ...outcome.report.figures.map((f) => relative(join(copy, 'report'), f)),
        ...outcome.report.tables.map((f) => relative(join(copy, 'report'), f)),
      ];
      expect(files.length).toBeGreaterThan(10);
      // The overlap of the STL-DP runs, recomputed (its permutations come from the first seed);
      // it names the runs by absolute path, which differs between the two copies.
      const overlap = async (study: string) =>
        (await readFile(join(study, 'analyses', 'overlap', 'overlap.json'), 'utf8')).replace(
          /"[^"]*\/(pruning\/[^"/]+)"/g,
          '"<study>/$1"',
        );
      expect(await overlap(copy)).toBe(await overlap(committed));
      expect(await overlap(copy)).toContain('"<study>/pruning/stl-dp-pos-s1"');
      for (const file of files)
        expect(await readFile(join(copy, 'report', file), 'utf8'), file).toBe(
          await readFile(join(committed, 'report', file), 'utf8'),
        );
    } finally {
      process.chdir(cwd);
    }
  }, 120_000);
});
