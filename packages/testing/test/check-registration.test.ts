import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { StemRegisterHook } from '@stem/core';
import { describe, expect, it } from 'vitest';
import {
  checkRegistration,
  ConformanceError,
  pluginManifestProblems,
  type PluginPackageJson,
} from '../src/index.js';

const goodPackage: PluginPackageJson = {
  name: 'stem-plugin-good',
  version: '1.0.0',
  oclif: { hooks: { 'stem:register': './dist/hook.js' } },
  peerDependencies: { '@stem/core': '^0.1.0' },
  peerDependenciesMeta: { '@stem/core': { optional: true } },
};

const goodHook: StemRegisterHook = () => ({
  register(stem) {
    stem.registerTask({
      id: 'good.task.tagger.v1',
      description: 'Tags words for the conformance test.',
      configSchema: (z) =>
        z.object({ size: z.int().positive().default(4).describe('Hidden size of the tagger.') }),
      create: () => ({}) as never,
    });
  },
});

async function packageDirectory(pjson: PluginPackageJson): Promise<string> {
  const directory = await mkdtemp(join(tmpdir(), 'stem-conformance-'));
  await writeFile(join(directory, 'package.json'), JSON.stringify(pjson));
  return directory;
}

async function problemsOf(pjson: PluginPackageJson, hook: StemRegisterHook): Promise<string[]> {
  try {
    await checkRegistration({ packageDirectory: await packageDirectory(pjson), hook });
    return [];
  } catch (error) {
    expect(error).toBeInstanceOf(ConformanceError);
    return (error as ConformanceError).problems;
  }
}

describe('checkRegistration', () => {
  it('accepts a conforming plugin and lists what it registered', async () => {
    const report = await checkRegistration({
      packageDirectory: await packageDirectory(goodPackage),
      hook: goodHook,
    });
    expect(report.components).toEqual([
      {
        kind: 'task',
        id: 'good.task.tagger.v1',
        description: 'Tags words for the conformance test.',
      },
    ]);
  });

  it('reports unversioned ids, missing descriptions and undescribed fields', async () => {
    const hook: StemRegisterHook = () => ({
      register(stem) {
        stem.registerTask({
          id: 'bad.task.tagger',
          description: 'x',
          configSchema: (z) => z.object({}),
          create: () => ({}) as never,
        });
      },
    });
    expect((await problemsOf(goodPackage, hook)).join('\n')).toMatch(
      /"bad.task.tagger" is not a versioned id/,
    );

    const quiet: StemRegisterHook = () => ({
      register(stem) {
        stem.registerTask({
          id: 'bad.task.tagger.v1',
          description: 'x',
          configSchema: (z) => z.object({ size: z.int() }),
          create: () => ({}) as never,
        });
      },
    });
    const problems = await problemsOf(goodPackage, quiet);
    expect(problems).toContain(
      'bad.task.tagger.v1: give it a description of what it does (shown by stem info)',
    );
    expect(problems.join('\n')).toMatch(/config field "size" has no \.describe/);
  });

  it('reports a hook that throws or registers nothing', async () => {
    expect(
      await problemsOf(goodPackage, () => {
        throw new Error('boom');
      }),
    ).toContain('the stem:register hook threw: boom');
    expect(await problemsOf(goodPackage, () => ({ register() {} }))).toContain(
      'the hook registered no component',
    );
  });

  it('refuses a core range this core does not satisfy, naming both versions', async () => {
    const problems = await problemsOf(
      { ...goodPackage, peerDependencies: { '@stem/core': '^7.0.0' } },
      goodHook,
    );
    expect(problems.join('\n')).toMatch(
      /requires @stem\/core \^7\.0\.0 but this stem has @stem\/core 0\.\d+\.\d+/,
    );
  });
});

describe('pluginManifestProblems', () => {
  it('accepts the recommended package.json', () => {
    expect(pluginManifestProblems(goodPackage)).toEqual([]);
  });

  it('flags hard @stem and tfjs runtime dependencies, a missing hook and a non-optional core peer', () => {
    const problems = pluginManifestProblems({
      name: 'p',
      version: '1.0.0',
      dependencies: {
        '@stem/core': '^0.1.0',
        '@tensorflow/tfjs-node': '4.22.0',
        tokenizers: '^0.23.0',
      },
      peerDependencies: { '@stem/core': '^0.1.0' },
    });
    expect(problems).toHaveLength(4);
    expect(problems.join('\n')).toMatch(/stem:register/);
    expect(problems.join('\n')).toMatch(/"@stem\/core" is a hard dependency/);
    expect(problems.join('\n')).toMatch(/"@tensorflow\/tfjs-node" is a dependency/);
    expect(problems.join('\n')).toMatch(/mark the @stem\/core peer optional/);
  });
});
