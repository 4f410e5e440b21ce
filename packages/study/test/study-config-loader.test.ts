/**
 * A study config is read by core's config loader (the errors of an experiment config, `${...}`
 * references, strict keys), and an error found in a run config it generates is told against
 * the study config's own file and line.
 */
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ConfigError, parseExperimentConfig } from '@stem/core';
import { beforeAll, describe, expect, it } from 'vitest';
import { runConfigFile, runConfigYaml, runExperimentConfig } from '../src/study/run-config.js';
import { errorInStudyConfig } from '../src/study/run-config-origin.js';
import { planStudy } from '../src/study/study-plan.js';
import { resolveStudy } from '../src/study/study-setup.js';
import type { StudySession } from '../src/study/study-session.js';
import { pluginSession } from './plugin-session.js';

const STUDY = `name: tiny
seeds: 1
paths:
  models: /nonexistent/models
encoder:
  type: stem.encoder.transformer.v1
  path: \${paths.models}/mini
tasks:
  pos:
    type: stem.task.pos.softmax.v1
    dataset: { type: stem.dataset.conll2012.v1, path: /nonexistent/conll }
settings: { stl: true, mtl5: false }
pruning: { stl-dp: false, mtl-dp: false }
probes: { static: false, stl: false, mtl5: false }
`;

describe('the study config loader', () => {
  let session: StudySession;
  let directory: string;
  beforeAll(async () => {
    session = await pluginSession();
    directory = await mkdtemp(join(tmpdir(), 'stem-study-config-'));
  }, 60_000);

  const write = async (name: string, text: string) => {
    const file = join(directory, name);
    await writeFile(file, text);
    return file;
  };
  const failure = (promise: Promise<unknown>) =>
    promise.then(
      () => {
        throw new Error('expected the study to be refused');
      },
      (error: unknown) => {
        expect(error).toBeInstanceOf(ConfigError);
        return error as ConfigError;
      },
    );

  it('resolves ${...} references', async () => {
    const study = await resolveStudy({ config: await write('ok.yaml', STUDY), out: directory });
    expect(study.config.encoder['path']).toBe('/nonexistent/models/mini');
  });

  it('reports a study config that does not exist as CONFIG_INVALID naming it', async () => {
    const absent = join(directory, 'absent.yaml');
    const error = await failure(resolveStudy({ config: absent }));
    expect(error.code).toBe('CONFIG_INVALID');
    expect(error.message).toContain(`cannot read config ${absent}`);
  });

  it('rejects a misspelt study key with the closest known one', async () => {
    const file = await write('typo.yaml', STUDY.replace('settings:', 'setings:'));
    const error = await failure(resolveStudy({ config: file }));
    expect(error.message).toContain(
      `${file}:12: (root): unknown key "setings" (did you mean "settings"?)`,
    );
  });

  it('refuses a misspelt task key at the study config line, with the closest known key', async () => {
    const file = await write(
      'limt.yaml',
      STUDY.replace('    dataset:', '    limt: { train: 20 }\n    dataset:'),
    );
    const study = await resolveStudy({ config: file, out: join(directory, 'limt') });
    const error = await failure(Promise.resolve().then(() => planStudy(study, session.registry)));
    expect(error.file).toBe(file);
    expect(error.problems[0]).toMatchObject({
      path: 'tasks.pos',
      key: 'limt',
      line: 11,
      message: expect.stringMatching(
        /^unknown key "limt" \(did you mean "limit"\?\) \(run stl-pos-s1, generated .*runs\/stl-pos-s1\/config\.yaml:\d+: tasks\.pos\)$/,
      ),
    });
  });

  it('tells a missing encoder path of a generated run config at the study config line', async () => {
    const file = await write('paths.yaml', STUDY);
    const study = await resolveStudy({ config: file, out: join(directory, 'paths') });
    const run = study.grid.runs[0]!;
    const runFile = runConfigFile(study.directory, run);
    const yaml = runConfigYaml(runExperimentConfig(study.config, run, study.directory), run);
    // What the in-process executor does when it loads the run's config with its paths checked.
    const generated = (() => {
      try {
        parseExperimentConfig(yaml, runFile, session.registry, { checkPaths: true });
      } catch (error) {
        return error as ConfigError;
      }
      throw new Error('expected the missing paths to be reported');
    })();
    const error = errorInStudyConfig(
      generated,
      { file, lineOf: study.lineOf! },
      study.config,
      run,
      runFile,
    );
    expect(error.code).toBe('CONFIG_INVALID');
    expect(error.message).toMatch(
      new RegExp(
        `${file}:7: encoder\\.path: model directory /nonexistent/models/mini does not exist .*\\(run stl-pos-s1, generated ${runFile}:\\d+: encoder\\.path\\)`,
      ),
    );
    expect(error.message).toContain(`${file}:11: tasks.pos.dataset.path: dataset path`);
  });
});
