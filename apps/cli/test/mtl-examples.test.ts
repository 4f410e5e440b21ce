import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cliNotBuilt, envelope, isolatedHome, repositoryRoot, runStem } from './run-stem.js';

const PROPBANK_SOURCE = join(
  repositoryRoot,
  'packages/data/sources/propbank-ewt/ewt-propbank.tar.gz',
);
/** A few sentences per task and split: the examples' wiring, not their scores. */
const SMALL = ['train=24', 'dev=12', 'test=12'];

async function trainExample(
  example: string,
  tasks: string[],
  env: NodeJS.ProcessEnv,
  runs: string,
): Promise<string> {
  const overrides = tasks.flatMap((task) =>
    SMALL.flatMap((limit) => ['--set', `tasks.${task}.limit.${limit}`]),
  );
  const train = await runStem(
    [
      'train',
      '-c',
      join(repositoryRoot, 'examples', example),
      ...overrides,
      '--set',
      'trainer.epochs=1',
      // Six mini-batches per task: the sampled epoch (sum of N_t steps) reaches every task.
      '--set',
      'trainer.maxSentencesPerBatch=4',
      '--set',
      `output.directory=${runs}`,
      '--json',
    ],
    env,
  );
  expect(train.code, train.stderr).toBe(0);
  const [run] = (await readdir(runs)).filter((name) =>
    name.startsWith(example.replace('.yaml', '')),
  );
  return join(runs, run!);
}

async function trainedTasks(runDirectory: string): Promise<Set<string>> {
  const events = (await readFile(join(runDirectory, 'metrics.ndjson'), 'utf8'))
    .trim()
    .split('\n')
    .map((line) => JSON.parse(line) as { event: string; task?: string });
  return new Set(events.filter((e) => e.event === 'update').map((e) => e.task as string));
}

describe.skipIf(cliNotBuilt('commands/train.js'))('the MTL example configs', () => {
  let env: NodeJS.ProcessEnv;
  let work: string;

  beforeAll(async () => {
    work = await mkdtemp(join(tmpdir(), 'stem-mtl-'));
    env = { ...(await isolatedHome()), STEM_DATA_HOME: join(work, 'data') };
  });
  afterAll(() => rm(work, { recursive: true, force: true }));

  it('trains POS + DEP + NER together (mtl3-tiny), scores every task and evaluates the same', async () => {
    const run = await trainExample(
      'mtl3-tiny.yaml',
      ['pos', 'dep', 'ner'],
      env,
      join(work, 'runs'),
    );
    const tasks = ['pos', 'dep', 'ner'];
    expect([...(await trainedTasks(run))].sort()).toEqual([...tasks].sort());
    const results = JSON.parse(await readFile(join(run, 'results.json'), 'utf8'));
    expect(Object.keys(results.test).sort()).toEqual([...tasks].sort());
    const evaluated = await runStem(['evaluate', run, '--split', 'test', '--json'], env);
    expect(evaluated.code, evaluated.stderr).toBe(0);
    expect(envelope<{ scores: unknown }>(evaluated).result.scores).toEqual(results.test);
  }, 300_000);

  it('trains all five tasks together (mtl5-tiny: POS, DEP, CON, SRL on ewt-5, NER on GUM)', async () => {
    const build = await runStem(
      ['data', 'build', 'ewt-5', '--source', PROPBANK_SOURCE, '--json'],
      env,
    );
    expect(build.code, build.stderr).toBe(0);
    const tasks = ['pos', 'dep', 'con', 'srl', 'ner'];
    const run = await trainExample('mtl5-tiny.yaml', tasks, env, join(work, 'runs5'));
    expect([...(await trainedTasks(run))].sort()).toEqual([...tasks].sort());
    const results = JSON.parse(await readFile(join(run, 'results.json'), 'utf8'));
    expect(Object.keys(results.test).sort()).toEqual([...tasks].sort());
  }, 400_000);
});
