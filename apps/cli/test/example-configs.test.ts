import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { cliNotBuilt, isolatedHome, repositoryRoot, runStem } from './run-stem.js';

const examples = join(repositoryRoot, 'examples');

/**
 * Every run config in examples/ is one a user copies: each must validate as written. Study
 * configs (`seeds:`) are planned by the study tests; pos-ewt-hf names a model the user fetches
 * first (train-commands.test.ts checks its error).
 */
const runConfigs = readdirSync(examples)
  .filter((file) => file.endsWith('.yaml') && file !== 'pos-ewt-hf.yaml')
  .filter((file) => !/^seeds:/m.test(readFileSync(join(examples, file), 'utf8')))
  .sort();

describe.skipIf(cliNotBuilt('commands/config/validate.js'))('example run configs', () => {
  let env: NodeJS.ProcessEnv;
  beforeAll(async () => {
    env = await isolatedHome();
  });

  it('finds the examples the docs name', () => {
    expect(runConfigs).toEqual(
      expect.arrayContaining([
        'pos-ewt-tiny.yaml',
        'mtl5-tiny.yaml',
        'pos-mini-full.yaml',
        'dep-mini-full.yaml',
        'ner-mini-full.yaml',
        'con-mini-full.yaml',
        'srl-mini-full.yaml',
      ]),
    );
  });

  it('validates each one as written', async () => {
    // Four at a time: each is its own CLI process.
    for (let start = 0; start < runConfigs.length; start += 4) {
      const batch = runConfigs.slice(start, start + 4);
      const results = await Promise.all(
        batch.map((file) => runStem(['config', 'validate', `examples/${file}`, '--json'], env)),
      );
      results.forEach((result, index) => {
        expect(result.code, `${batch[index]}: ${result.stderr}`).toBe(0);
      });
    }
  }, 300_000);
});
