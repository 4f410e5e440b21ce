import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { QUEUE_LEDGER_FILE, recordCompletion } from '../src/queue/unit-completion.js';
import { parseStudyConfig } from '../src/study/study-config.js';
import type { StudyScope, StudyUnit, UnitEvents } from '../src/study/study-executor.js';
import type { StudyGrid } from '../src/study/study-grid.js';

const STUDY = `
name: two
encoder: { type: stem.encoder.transformer.v1, path: models/x }
tasks:
  pos: { type: stem.task.pos.softmax.v1, dataset: { type: stem.dataset.ewt-5.v1 } }
trainer: { epochs: 1, encoderLearningRate: 0.0003 }
`;

const unit: StudyUnit = {
  id: 'stl-pos-s1',
  run: {
    id: 'stl-pos-s1',
    kind: 'train',
    setting: 'stl',
    tasks: ['pos'],
    seed: 1,
    directory: 'runs/stl-pos-s1',
  },
  probes: [
    {
      id: 'probe-stl-pos-s1-pos',
      setting: 'stl',
      task: 'pos',
      run: 'stl-pos-s1',
      file: 'runs/stl-pos-s1/analyses/probe/probe-pos.json',
    },
  ],
};

/** A worker's completion of the unit: its files say which worker wrote them. */
function completion(worker: string) {
  const base64 = (text: string) => Buffer.from(text).toString('base64');
  return {
    worker,
    seconds: 2,
    steps: [
      { id: 'stl-pos-s1', seconds: 1, updates: 10 },
      { id: 'probe-stl-pos-s1-pos', seconds: 1 },
    ],
    files: {
      'runs/stl-pos-s1/results.json': base64(`{"by":"${worker}"}`),
      'runs/stl-pos-s1/analyses/probe/probe-pos.json': base64(`{"probe":"${worker}"}`),
    },
  };
}

/** Events that record what `runStudy` would count. */
function countingEvents() {
  const finished: string[] = [];
  const results: unknown[] = [];
  const warnings: string[] = [];
  const events: UnitEvents = {
    started: async () => {},
    finished: async (step, result) => {
      finished.push(step);
      results.push(result);
    },
    training: () => {},
    log: () => {},
    warn: (message) => void warnings.push(message),
  };
  return { events, finished, results, warnings };
}

describe('a unit completed twice (two workers after a stall)', () => {
  let directory: string | undefined;
  afterEach(async () => {
    if (directory) await rm(directory, { recursive: true, force: true });
  });

  it('writes its files and counts its steps once; the second is logged and dropped', async () => {
    directory = await mkdtemp(join(tmpdir(), 'stem-completion-'));
    const scope: StudyScope = {
      config: parseStudyConfig(STUDY, 'study.yaml'),
      grid: {} as StudyGrid,
      directory,
    };
    const { events, finished, results, warnings } = countingEvents();
    expect(await recordCompletion(scope, unit, completion('first'), events, new Set())).toBe(true);
    expect(await recordCompletion(scope, unit, completion('second'), events, new Set())).toBe(
      false,
    );
    // The first completion's files stay; the second wrote nothing.
    expect(await readFile(join(directory, 'runs/stl-pos-s1/results.json'), 'utf8')).toBe(
      '{"by":"first"}',
    );
    expect(
      await readFile(join(directory, 'runs/stl-pos-s1/analyses/probe/probe-pos.json'), 'utf8'),
    ).toBe('{"probe":"first"}');
    // Each step counted once, with the time it took on its worker and its updates.
    expect(finished).toEqual(['stl-pos-s1', 'probe-stl-pos-s1-pos']);
    expect(results).toEqual([{ seconds: 1, updates: 10 }, { seconds: 1 }]);
    expect(warnings).toEqual([
      'unit stl-pos-s1: a second completion (from second) was dropped, the first is kept',
    ]);
    const ledger = (await readFile(join(directory, QUEUE_LEDGER_FILE), 'utf8'))
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line) as { unit: string; worker: string; recorded: boolean });
    expect(ledger.map(({ unit: id, worker, recorded }) => ({ id, worker, recorded }))).toEqual([
      { id: 'stl-pos-s1', worker: 'first', recorded: true },
      { id: 'stl-pos-s1', worker: 'second', recorded: false },
    ]);
  });
});
