import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parsePtb, treeWords } from '@stem/data';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cliNotBuilt, envelope, isolatedHome, repositoryRoot, runStem } from './run-stem.js';

const PROPBANK_SOURCE = join(
  repositoryRoot,
  'packages/data/sources/propbank-ewt/ewt-propbank.tar.gz',
);
const config = fileURLToPath(new URL('./fixtures/configs/con-tiny.yaml', import.meta.url));

describe.skipIf(cliNotBuilt('commands/train.js'))(
  'stem train / evaluate / predict with CON',
  () => {
    let env: NodeJS.ProcessEnv;
    let work: string;
    let runDirectory: string;

    beforeAll(async () => {
      work = await mkdtemp(join(tmpdir(), 'stem-con-'));
      env = { ...(await isolatedHome()), STEM_DATA_HOME: join(work, 'data') };
      const build = await runStem(
        ['data', 'build', 'ewt-5', '--source', PROPBANK_SOURCE, '--json'],
        env,
      );
      expect(build.code, build.stderr).toBe(0);
      const train = await runStem(
        ['train', '-c', config, '--set', `output.directory=${join(work, 'runs')}`, '--json'],
        env,
      );
      expect(train.code, train.stderr).toBe(0);
      const [run] = await readdir(join(work, 'runs'));
      runDirectory = join(work, 'runs', run!);
    }, 240_000);
    afterAll(async () => {
      await rm(work, { recursive: true, force: true });
    });

    it('trains CON alone and evaluates it with EVALB labelled F1', async () => {
      const results = JSON.parse(await readFile(join(runDirectory, 'results.json'), 'utf8'));
      expect(results.test.con.primary).toBe('f1');
      const run = await runStem(['evaluate', runDirectory, '--split', 'test', '--json'], env);
      expect(run.code, run.stderr).toBe(0);
      expect(envelope<{ scores: unknown }>(run).result.scores).toEqual(results.test);
      expect(results.test.con.scores.goldBrackets).toBeGreaterThan(100);
    });

    it('predicts bracketed trees, one per line, that parse back over the input words', async () => {
      const input = join(work, 'input.txt');
      const sentences = [
        ['The', 'cat', '(', 'a', 'tabby', ')', 'sat', '.'],
        ['Go', '!'],
      ];
      await writeFile(input, sentences.map((s) => s.join(' ')).join('\n') + '\n');
      const output = join(work, 'predicted.tree');
      const run = await runStem(
        ['predict', runDirectory, '--input', input, '--format', 'ptb', '--output', output],
        env,
      );
      expect(run.code, run.stderr).toBe(0);
      const text = await readFile(output, 'utf8');
      expect(text.trimEnd().split('\n')).toHaveLength(2);
      const trees = parsePtb(text, output).map((p) => p.tree);
      expect(trees.map(treeWords)).toEqual([
        ['The', 'cat', '-LRB-', 'a', 'tabby', '-RRB-', 'sat', '.'],
        ['Go', '!'],
      ]);
    });
  },
);
