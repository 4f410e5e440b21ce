/**
 * One config loader behind every command: the same fault in an experiment or a study config
 * gives the same `CONFIG_INVALID`, naming file, line and field, from `stem config validate`,
 * `stem train`, `stem study plan` and `stem study`; unknown keys are errors with the closest
 * known key; a study config resolves `${...}` references.
 */
import { mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { cliNotBuilt, envelope, isolatedHome, runStem } from './run-stem.js';

const fixture = (name: string) => new URL(`./fixtures/${name}`, import.meta.url);

describe.skipIf(cliNotBuilt('commands/study/plan.js'))('the config loader through the CLI', () => {
  let env: NodeJS.ProcessEnv;
  let work: string;
  beforeAll(async () => {
    env = await isolatedHome();
    work = await mkdtemp(join(tmpdir(), 'stem-config-loader-'));
  });

  const write = async (name: string, text: string) => {
    const file = join(work, name);
    await writeFile(file, text);
    return file;
  };
  const failure = async (args: string[]) => {
    const run = await runStem([...args, '--json'], env);
    expect(run.code, run.stderr).not.toBe(0);
    return envelope(run).error as { code: string; message: string };
  };

  it('stem config validate rejects a misspelt task key at its line, suggesting the known one', async () => {
    const text = await readFile(fixture('configs/pos-tiny.yaml'), 'utf8');
    const file = await write('limt.yaml', text.replace('    limit:', '    limt:'));
    const error = await failure(['config', 'validate', file]);
    expect(error.code).toBe('CONFIG_INVALID');
    expect(error.message).toContain(
      `${file}:20: tasks.pos: unknown key "limt" (did you mean "limit"?)`,
    );
  });

  it('stem study plan rejects the same misspelling at the study config line', async () => {
    const text = await readFile(fixture('study/study-tiny.yaml'), 'utf8');
    const file = await write(
      'study-limt.yaml',
      text.replace(
        '    limit: { train: 48, dev: 16, test: 16 }\n  dep:',
        '    limt: { train: 48 }\n  dep:',
      ),
    );
    const error = await failure(['study', 'plan', '-c', file, '--out', join(work, 'limt')]);
    expect(error.code).toBe('CONFIG_INVALID');
    expect(error.message).toMatch(
      new RegExp(
        `${file}:20: tasks\\.pos: unknown key "limt" \\(did you mean "limit"\\?\\) \\(run stl-pos-s1, generated .*runs/stl-pos-s1/config\\.yaml:\\d+: tasks\\.pos\\)`,
      ),
    );
  });

  it('a study config resolves ${...} references', async () => {
    const text = await readFile(fixture('study/study-tiny.yaml'), 'utf8');
    const file = await write(
      'study-paths.yaml',
      text
        .replace('seeds: 1\n', 'seeds: 1\npaths: { tokenizers: examples/tokenizers }\n')
        .replace('tokenizer: examples/tokenizers/', 'tokenizer: ${paths.tokenizers}/'),
    );
    const run = await runStem(
      ['study', 'plan', '-c', file, '--out', join(work, 'paths'), '--json'],
      env,
    );
    expect(run.code, run.stderr).toBe(0);
    const plan = envelope<{ runs: unknown[]; missing: string[] }>(run).result;
    expect(plan.runs.length).toBeGreaterThan(0);
    expect(plan.missing.filter((m) => m.includes('tokenizer'))).toEqual([]);
  });

  it('a config file that does not exist is CONFIG_INVALID naming it, from train and from study', async () => {
    const absent = join(work, 'absent.yaml');
    for (const args of [
      ['train', '-c', absent],
      ['config', 'validate', absent],
      ['study', '-c', absent],
      ['study', 'plan', '-c', absent],
    ]) {
      const error = await failure(args);
      expect(error.code, args.join(' ')).toBe('CONFIG_INVALID');
      expect(error.message, args.join(' ')).toContain(`cannot read config ${absent}`);
    }
  });
});
