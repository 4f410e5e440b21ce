import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { checkRedisUrl, redactedUrl } from '../src/queue/queue-connection.js';
import {
  identityMismatch,
  studyConfigHash,
  studyIdentity,
  studyQueueName,
} from '../src/queue/study-identity.js';
import { collectUnitFiles, writeUnitFiles } from '../src/queue/unit-files.js';
import { parseStudyConfig } from '../src/study/study-config.js';
import type { StudyUnit } from '../src/study/study-executor.js';

const STUDY = `
name: two
encoder: { type: stem.encoder.transformer.v1, path: models/x }
tasks:
  pos: { type: stem.task.pos.softmax.v1, dataset: { type: stem.dataset.ewt-5.v1 } }
  dep: { type: stem.task.dep.biaffine.v1, dataset: { type: stem.dataset.ewt-5.v1 } }
trainer: { epochs: 3, encoderLearningRate: 0.0003 }
`;
// The same study, its keys in another order and with another directory.
const REORDERED = `
directory: elsewhere
trainer: { encoderLearningRate: 0.0003, epochs: 3 }
tasks:
  dep: { dataset: { type: stem.dataset.ewt-5.v1 }, type: stem.task.dep.biaffine.v1 }
  pos: { type: stem.task.pos.softmax.v1, dataset: { type: stem.dataset.ewt-5.v1 } }
encoder: { path: models/x, type: stem.encoder.transformer.v1 }
name: two
`;
const parse = (text: string) => parseStudyConfig(text, 'study.yaml');
const packages = [
  { name: '@stem/cli', version: '0.1.0' },
  { name: '@stem/task-pos', version: '0.2.0' },
  { name: '@stem/task-dep', version: '0.3.0' },
];

describe('the identity a worker checks', () => {
  it('hashes the study, not the order of its keys nor where its results go', () => {
    expect(studyConfigHash(parse(REORDERED))).toBe(studyConfigHash(parse(STUDY)));
    expect(studyConfigHash(parse(STUDY.replace('epochs: 3', 'epochs: 4')))).not.toBe(
      studyConfigHash(parse(STUDY)),
    );
  });

  it('says which part differs: config hash, stem version or plugins', () => {
    const ours = studyIdentity(parse(STUDY), packages);
    expect(ours.stem).toBe('0.1.0');
    expect(ours.plugins).toEqual(['@stem/task-dep@0.3.0', '@stem/task-pos@0.2.0']);
    expect(identityMismatch(ours, { ...ours })).toBeUndefined();
    const other = studyIdentity(parse(STUDY.replace('epochs: 3', 'epochs: 4')), packages);
    expect(identityMismatch(ours, other)).toMatch(
      new RegExp(
        `study-config hash ${other.configHash.slice(0, 12)} differs from this worker's ${ours.configHash.slice(0, 12)}`,
      ),
    );
    expect(identityMismatch(ours, { ...ours, stem: '0.2.0' })).toBe(
      'it was queued by stem 0.2.0, this worker is stem 0.1.0',
    );
    expect(
      identityMismatch(ours, {
        ...ours,
        plugins: ['@stem/task-dep@0.3.1', '@stem/task-pos@0.2.0'],
      }),
    ).toBe(
      'its plugin set differs: coordinator has @stem/task-dep@0.3.1, worker has @stem/task-dep@0.3.0',
    );
  });

  it('names the queue after the study, without the colon BullMQ forbids', () => {
    expect(studyQueueName(parse(STUDY))).toBe('stem-study-two');
    expect(studyQueueName({ ...parse(STUDY), name: 'a:b c' })).toBe('stem-study-a_b_c');
  });
});

describe('queue URLs', () => {
  it('hides the password and refuses what is no Redis URL', () => {
    expect(redactedUrl('redis://:secret@host:6379/2')).toBe('redis://:***@host:6379/2');
    expect(redactedUrl('rediss://user:secret@host:6380')).toBe('rediss://user:***@host:6380');
    expect(() => checkRedisUrl('redis://host:6379/1')).not.toThrow();
    expect(() => checkRedisUrl('http://host')).toThrow('--queue http://host: the scheme is http');
    expect(() => checkRedisUrl('redis://host/x')).toThrow('the database "x" is no number');
    expect(() => checkRedisUrl('host:6379')).toThrow(/--queue host:6379/);
  });
});

describe("a unit's files", () => {
  let worker: string;
  let study: string;
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
    probes: [],
  };
  const staticUnit: StudyUnit = {
    id: 'static',
    probes: [
      { id: 'static-pos', setting: 'static', task: 'pos', file: 'probes/static/probe-pos.json' },
    ],
  };
  beforeAll(async () => {
    worker = await mkdtemp(join(tmpdir(), 'stem-unit-files-'));
    study = await mkdtemp(join(tmpdir(), 'stem-unit-study-'));
    const run = join(worker, 'runs', 'stl-pos-s1');
    await mkdir(join(run, 'checkpoints', 'best'), { recursive: true });
    await mkdir(join(run, 'analyses', 'probe'), { recursive: true });
    await writeFile(join(run, 'results.json'), '{"dev":1}');
    await writeFile(join(run, 'metrics.ndjson'), '{"step":1}\n');
    await writeFile(join(run, 'analyses', 'probe', 'probe-pos.json'), '{"task":"pos"}');
    await writeFile(join(run, 'checkpoints', 'best', 'model.safetensors'), Buffer.alloc(64, 7));
    await mkdir(join(worker, 'probes', 'static'), { recursive: true });
    await writeFile(join(worker, 'probes', 'static', 'probe-pos.json'), '{"static":true}');
  });
  afterAll(async () => {
    await rm(worker, { recursive: true, force: true });
    await rm(study, { recursive: true, force: true });
  });

  it('travel without checkpoints and land where the study directory keeps them', async () => {
    const files = await collectUnitFiles(worker, unit);
    expect(Object.keys(files)).toEqual([
      'runs/stl-pos-s1/analyses/probe/probe-pos.json',
      'runs/stl-pos-s1/metrics.ndjson',
      'runs/stl-pos-s1/results.json',
    ]);
    const statics = await collectUnitFiles(worker, staticUnit);
    expect(Object.keys(statics)).toEqual(['probes/static/probe-pos.json']);
    await writeUnitFiles(study, { ...files, ...statics });
    expect(await readFile(join(study, 'runs/stl-pos-s1/results.json'), 'utf8')).toBe('{"dev":1}');
    expect(await readFile(join(study, 'probes/static/probe-pos.json'), 'utf8')).toBe(
      '{"static":true}',
    );
  });

  it('never leave the study directory', async () => {
    await expect(writeUnitFiles(study, { '../escape.json': 'e30=' })).rejects.toThrow(
      'refused to write ../escape.json',
    );
  });
});
