import { execFileSync } from 'node:child_process';
import { mkdir, mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { envelope, isolatedHome, repositoryRoot, runStem } from './run-stem.js';

interface InfoResult {
  plugins: Array<{ name: string; version: string; components: string[] }>;
  components: Record<string, Array<{ id: string; plugin: string; pluginVersion: string }>>;
}

/** Packs a plugin directory the way a publisher would and returns the tarball path. */
function pack(directory: string, destination: string): string {
  const output = execFileSync('npm', ['pack', '--pack-destination', destination, '--silent'], {
    cwd: directory,
    encoding: 'utf8',
  });
  return join(destination, output.trim().split('\n').pop() as string);
}

/** Writes a minimal third-party plugin whose hook module is `hookSource`. */
async function writePlugin(name: string, coreRange: string, hookSource: string): Promise<string> {
  const directory = await mkdtemp(join(tmpdir(), `${name}-`));
  await writeFile(
    join(directory, 'package.json'),
    JSON.stringify({
      name,
      version: '2.0.0',
      type: 'module',
      files: ['hook.js'],
      oclif: { hooks: { 'stem:register': './hook.js' } },
      peerDependencies: { '@stem/core': coreRange },
      peerDependenciesMeta: { '@stem/core': { optional: true } },
    }),
  );
  await writeFile(join(directory, 'hook.js'), hookSource);
  return directory;
}

const registeringHook = `export default async () => ({
  register(stem) {
    stem.registerTask({
      id: 'third.task.noop.v1',
      description: 'A task that a plugin with the wrong core range would add.',
      configSchema: (z) => z.object({}),
      create: () => { throw new Error('not used'); },
    });
  },
});
`;

describe('stem plugins', () => {
  let packs: string;
  let exampleTarball: string;

  beforeAll(async () => {
    packs = await mkdtemp(join(tmpdir(), 'stem-packs-'));
    await mkdir(packs, { recursive: true });
    exampleTarball = pack(join(repositoryRoot, 'examples', 'task-example'), packs);
  });

  it('installs the packed example plugin with plugins:add and lists its task in info', async () => {
    const env = await isolatedHome();
    const before = envelope<InfoResult>(await runStem(['info', '--json'], env));
    expect(before.result.components.tasks?.map((t) => t.id)).not.toContain(
      'example.task.capitalisation.v1',
    );

    const add = await runStem(['plugins:add', `file:${exampleTarball}`], env);
    expect(add.code, add.stderr).toBe(0);

    const info = envelope<InfoResult>(await runStem(['info', '--json'], env));
    expect(info).toMatchObject({ stem: 1, command: 'info', ok: true, warnings: [] });
    expect(info.result.components.tasks).toContainEqual(
      expect.objectContaining({
        id: 'example.task.capitalisation.v1',
        plugin: '@stem/example-task-plugin',
        pluginVersion: '0.1.0',
      }),
    );
    expect(info.result.plugins).toContainEqual(
      expect.objectContaining({
        name: '@stem/example-task-plugin',
        components: ['example.task.capitalisation.v1'],
      }),
    );

    const remove = await runStem(['plugins:remove', '@stem/example-task-plugin'], env);
    expect(remove.code, remove.stderr).toBe(0);
    const after = envelope<InfoResult>(await runStem(['info', '--json'], env));
    expect(after.result.components.tasks?.map((t) => t.id)).not.toContain(
      'example.task.capitalisation.v1',
    );
  });

  it('keeps working when a plugin hook throws, with a warning naming the plugin', async () => {
    const env = await isolatedHome();
    const directory = await writePlugin(
      'stem-plugin-throws',
      '^0.1.0',
      `export default async () => { throw new Error('cannot find my weights'); };\n`,
    );
    expect((await runStem(['plugins:add', `file:${pack(directory, packs)}`], env)).code).toBe(0);

    const run = await runStem(['info', '--json'], env);
    expect(run.code).toBe(0);
    const info = envelope<InfoResult>(run);
    expect(info.ok).toBe(true);
    expect(info.warnings).toEqual([
      expect.stringMatching(
        /^plugin stem-plugin-throws@2\.0\.0 failed to load and was skipped: .*cannot find my weights/,
      ),
    ]);
    expect(run.stderr).toMatch(/warning: plugin stem-plugin-throws@2\.0\.0 failed to load/);

    const human = await runStem(['info'], env);
    expect(human.code).toBe(0);
    expect(human.stdout).toMatch(/^backend: /m);
  });

  it('refuses a plugin built for another core range, naming both versions', async () => {
    const env = await isolatedHome();
    const directory = await writePlugin('stem-plugin-future', '^9.0.0', registeringHook);
    expect((await runStem(['plugins:add', `file:${pack(directory, packs)}`], env)).code).toBe(0);

    const info = envelope<InfoResult>(await runStem(['info', '--json'], env));
    expect(info.warnings).toEqual([
      expect.stringMatching(
        /plugin stem-plugin-future@2\.0\.0 refused: it requires @stem\/core \^9\.0\.0 but this stem has @stem\/core 0\.\d+\.\d+/,
      ),
    ]);
    expect(info.result.components.tasks?.map((t) => t.id)).not.toContain('third.task.noop.v1');
  });

  it('loads the on-demand task plugins in the repository only (the published CLI bundles the rest)', async () => {
    const env = await isolatedHome();
    const tasksOf = (info: ReturnType<typeof envelope<InfoResult>>) =>
      info.result.components.tasks?.map((t) => t.id) ?? [];
    const workspace = envelope<InfoResult>(await runStem(['info', '--json'], env));
    expect(tasksOf(workspace)).toEqual(
      expect.arrayContaining([
        'stem.task.con.crf.v1',
        'stem.task.dep.biaffine.v1',
        'stem.task.ner.biaffine.v1',
        'stem.task.srl.span-ranking.v1',
      ]),
    );
    // STEM_WORKSPACE_PLUGINS=0: what a user of the published @stem/cli gets before plugins:add.
    const published = { ...env, STEM_WORKSPACE_PLUGINS: '0', NODE_ENV: 'production' };
    const bundled = envelope<InfoResult>(await runStem(['info', '--json'], published));
    expect(tasksOf(bundled)).toEqual(['stem.task.mlm.v1', 'stem.task.pos.softmax.v1']);
    const validate = await runStem(
      ['config', 'validate', 'examples/srl-ewt5-tiny.yaml', '--json'],
      published,
    );
    expect(validate.code).not.toBe(0);
    expect(JSON.stringify(envelope(validate).error)).toContain(
      'it is provided by @stem/task-srl: run `stem plugins:add @stem/task-srl`',
    );
  });
});
