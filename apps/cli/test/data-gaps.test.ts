/**
 * What the data leaves out is said, not passed over: sentences a task drops for lacking the
 * layers its head needs, and a task without test sentences, each as a warning on stderr
 * (and in the `--json` envelope) and recorded in results.json.
 */
import { mkdir, mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { udFile } from '@stem/data';
import { beforeAll, describe, expect, it } from 'vitest';
import { envelope, isolatedHome, runStem } from './run-stem.js';

/** The CoNLL-U blocks of a file, without the trailing empty line. */
const blocks = (text: string) => text.split(/\n\n+/).filter((b) => b.trim() !== '');
/** A sentence with every XPOS blanked (`_`): no PTB tags for a POS head to learn from. */
const withoutXpos = (block: string) =>
  block
    .split('\n')
    .map((line) => {
      const columns = line.split('\t');
      if (columns.length === 10) columns[4] = '_';
      return columns.join('\t');
    })
    .join('\n');

/** A one-epoch config of a 1-layer encoder named `name` in `work`, with these tasks (YAML). */
async function writeConfig(work: string, name: string, tasks: string): Promise<string> {
  const config = join(work, `${name}.yaml`);
  await writeFile(
    config,
    `name: ${name}
seed: 3
encoder:
  type: stem.encoder.transformer.v1
  architecture: { arch: bert, layers: 1, heads: 2, hidden: 16, maxPositions: 64, tokenizer: examples/tokenizers/ewt-wordpiece-8k }
tasks:
${tasks}
trainer: { epochs: 1, maxSentencesPerBatch: 16, maxSubwordsPerBatch: 640 }
output: { directory: ${join(work, 'runs')} }
`,
  );
  return config;
}

describe('data gaps of a run', () => {
  let work: string;
  let result: ReturnType<typeof envelope<Record<string, unknown>>>;
  let stderr: string;

  beforeAll(async () => {
    work = await mkdtemp(join(tmpdir(), 'stem-data-gaps-'));
    const sentences = blocks(await readFile(udFile('en_ewt', 'dev'), 'utf8'));
    const data = join(work, 'data');
    const write = (name: string, list: string[]) =>
      writeFile(join(data, name), `${list.join('\n\n')}\n\n`);
    await mkdir(data, { recursive: true });
    // 60 training sentences of which 3 lack XPOS; dev intact; a test file whose every sentence lacks XPOS.
    await write(
      'train.conllu',
      sentences.slice(0, 60).map((s, i) => (i % 20 === 7 ? withoutXpos(s) : s)),
    );
    await write('dev.conllu', sentences.slice(60, 80));
    await write('test.conllu', sentences.slice(80, 84).map(withoutXpos));
    const config = await writeConfig(
      work,
      'gaps',
      `  pos:
    type: stem.task.pos.softmax.v1
    dataset: { type: stem.dataset.conllu-files.v1, path: ${data} }`,
    );
    const run = await runStem(['train', '-c', config, '--json'], await isolatedHome());
    expect(run.code, run.stderr).toBe(0);
    result = envelope(run);
    stderr = run.stderr;
  }, 300_000);

  it('warns about sentences left out for missing layers and records them', async () => {
    const warning =
      'task "pos" left out 3 train, 4 test sentences that lack the layers its head needs (pos)';
    expect(stderr).toContain(`warning: ${warning}`);
    expect(result.warnings).toEqual(expect.arrayContaining([expect.stringContaining(warning)]));
    expect(result.result.skippedSentences).toEqual({ pos: { train: 3, test: 4 } });
    const directory = result.result.runDirectory as string;
    const saved = JSON.parse(await readFile(join(directory, 'results.json'), 'utf8'));
    expect(saved.skippedSentences).toEqual({ pos: { train: 3, test: 4 } });
  });

  it('says that a task has no test sentences, instead of silently leaving out test scores', async () => {
    expect(stderr).toContain(
      'warning: task "pos" has no test sentences: its results will have no test score',
    );
    expect(result.result.test).toBeUndefined();
    expect(result.result.testNotAvailable).toEqual(['pos']);
    const directory = result.result.runDirectory as string;
    const saved = JSON.parse(await readFile(join(directory, 'results.json'), 'utf8'));
    expect(saved.testNotAvailable).toEqual(['pos']);
    expect(saved.dev.pos.scores.accuracy).toBeGreaterThanOrEqual(0);
  });

  it('scores a pruning run on test for the tasks that have test sentences, dev-only for the rest', async () => {
    const data = join(work, 'data');
    const config = await writeConfig(
      work,
      'gaps-prune',
      `  gaps:
    type: stem.task.pos.softmax.v1
    dataset: { type: stem.dataset.conllu-files.v1, path: ${data} }
  ewt:
    type: stem.task.pos.softmax.v1
    dataset: { type: stem.dataset.ud-ewt.v1 }
    limit: { train: 24, dev: 8, test: 8 }`,
    );
    const run = await runStem(['prune', '-c', config, '--json'], await isolatedHome());
    expect(run.code, run.stderr).toBe(0);
    const { pruning } = envelope<{
      pruning: { scores: Record<'gated' | 'open', Record<string, Record<string, unknown>>> };
    }>(run).result;
    for (const view of ['gated', 'open'] as const) {
      expect(Object.keys(pruning.scores[view]!.dev!).sort()).toEqual(['ewt', 'gaps']);
      expect(Object.keys(pruning.scores[view]!.test ?? {})).toEqual(['ewt']);
    }
    expect(run.stdout + run.stderr).not.toContain('gated test gaps');
  }, 300_000);
});
