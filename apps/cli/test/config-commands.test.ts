import { mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import { envelope, isolatedHome, runStem } from './run-stem.js';

const toyPlugin = fileURLToPath(new URL('./fixtures/toy-plugin', import.meta.url));

const validConfig = `name: toy
seed: 7
encoder:
  type: toy.encoder.random.v1
tasks:
  tagger:
    type: toy.task.tagger.v1
    size: 32
    dataset:
      type: toy.dataset.files.v1
      path: \${paths.data}
paths:
  data: ${tmpdir()}
`;

describe('stem config', () => {
  let env: NodeJS.ProcessEnv;
  let directory: string;

  beforeAll(async () => {
    env = await isolatedHome();
    directory = await mkdtemp(join(tmpdir(), 'stem-config-'));
    const link = await runStem(['plugins:link', '--no-install', toyPlugin], env);
    expect(link.code, link.stderr).toBe(0);
  });

  async function configFile(name: string, text: string): Promise<string> {
    const file = join(directory, name);
    await writeFile(file, text);
    return file;
  }

  it('validates a correct config and prints the resolved config with defaults', async () => {
    const file = await configFile('valid.yaml', validConfig);
    const run = await runStem(['config', 'validate', file, '--json'], env);
    expect(run.code, run.stderr).toBe(0);
    const result = envelope<{ valid: boolean; config: Record<string, unknown> }>(run).result;
    expect(result.valid).toBe(true);
    expect(result.config).toMatchObject({
      seed: 7,
      device: 'auto',
      encoder: { type: 'toy.encoder.random.v1', hidden: 16 },
      tasks: { tagger: { size: 32, dropout: 0.1, dataset: { path: tmpdir() } } },
    });
  });

  it('names the field path, line and expected type of a wrong field, with a non-zero exit', async () => {
    const file = await configFile(
      'wrong-type.yaml',
      validConfig.replace('size: 32', 'size: large'),
    );
    const run = await runStem(['config', 'validate', file], env);
    expect(run.code).not.toBe(0);
    expect(run.stderr).toContain(`${file}:8: tasks.tagger.size:`);
    expect(run.stderr).toMatch(/tasks\.tagger\.size: .*expected (int|number)/);

    const json = envelope(await runStem(['config', 'validate', file, '--json'], env));
    expect(json).toMatchObject({ stem: 1, command: 'config validate', ok: false });
    expect(json.error?.code).toBe('CONFIG_INVALID');
    expect(json.error?.message).toMatch(/tasks\.tagger\.size/);
  });

  it('names the registered ids when a task type is unknown', async () => {
    const file = await configFile(
      'unknown-task.yaml',
      validConfig.replace('type: toy.task.tagger.v1', 'type: toy.task.parser.v9'),
    );
    const run = await runStem(['config', 'validate', file], env);
    expect(run.code).not.toBe(0);
    expect(run.stderr).toMatch(
      /tasks\.tagger\.type: unknown task "toy\.task\.parser\.v9"; registered tasks: .*toy\.task\.tagger\.v1/,
    );
  });

  it('applies --set overrides before validating', async () => {
    const file = await configFile('override.yaml', validConfig.replace('size: 32', 'size: large'));
    const run = await runStem(
      ['config', 'validate', file, '--set', 'tasks.tagger.size=64', '--set', 'seed=3', '--json'],
      env,
    );
    expect(run.code, run.stderr).toBe(0);
    expect(
      envelope<{ config: { seed: number; tasks: { tagger: { size: number } } } }>(run).result
        .config,
    ).toMatchObject({
      seed: 3,
      tasks: { tagger: { size: 64 } },
    });
  });

  it('reports a missing file with the path', async () => {
    const run = await runStem(['config', 'validate', join(directory, 'absent.yaml')], env);
    expect(run.code).not.toBe(0);
    expect(run.stderr).toMatch(/cannot read config .*absent\.yaml/);
  });

  it('exports a JSON Schema that knows the registered components', async () => {
    const out = join(directory, 'stem.schema.json');
    const run = await runStem(['config', 'schema', '--out', out], env);
    expect(run.code, run.stderr).toBe(0);
    const text = await readFile(out, 'utf8');
    const schema = JSON.parse(text) as Record<string, unknown>;
    expect(schema.$schema).toBe('https://json-schema.org/draft/2020-12/schema');
    expect(text).toContain('"toy.task.tagger.v1"');
    expect(text).toContain('Hidden size of the tagger.');
  });
});
