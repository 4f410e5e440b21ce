import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  ComponentRegistry,
  CORE_VERSION,
  SeededRandom,
  createRegistrationFacade,
  type TensorFlow,
} from '@stem/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BioCorpus } from '../src/corpora/bio-corpus.js';
import type { CorpusReader } from '../src/corpora/corpus-reader.js';
import { CorpusNotFoundError, DataFormatError } from '../src/errors.js';
import hook from '../src/plugin/register-hook.js';

describe('stem.dataset.bio.v1: BIO files given by path', () => {
  let folder: string;

  beforeAll(async () => {
    folder = await mkdtemp(join(tmpdir(), 'stem-bio-'));
    await writeFile(
      join(folder, 'eng.train'),
      '-DOCSTART- -X- O O\n\nEU NNP B-ORG\nrejects VBZ O\nGerman JJ B-MISC\n\nPeter NNP B-PER\nBlackburn NNP I-PER\n',
    );
    await writeFile(join(folder, 'dev.txt'), 'Rome\tI-LOC\nfell\tO\n');
    await writeFile(join(folder, 'test.txt'), 'Rome\tB-LOC\nfell\tO\n\nIn\tO\nRome\tB-LOC\n');
  });
  afterAll(() => rm(folder, { recursive: true, force: true }));

  it('is registered, and reads each split from its file with flat entity spans', async () => {
    const registry = new ComponentRegistry();
    const plugin = await hook({ coreVersion: CORE_VERSION });
    await plugin.register(
      createRegistrationFacade(
        registry,
        { name: '@stem/data', version: '0.1.0' },
        CORE_VERSION,
        {} as TensorFlow,
      ),
    );
    const component = registry.require('dataset', 'stem.dataset.bio.v1');
    const config = component.schema.parse({
      type: 'stem.dataset.bio.v1',
      path: folder,
      train: 'eng.train',
    });
    expect(config).toMatchObject({ dev: 'dev.txt', test: 'test.txt', scheme: 'iob2' });
    const reader = (await component.registration.create(config, {
      tf: {} as TensorFlow,
      random: new SeededRandom(0),
      container: undefined as never,
    })) as CorpusReader;
    expect(reader.layers).toEqual(['ner']);
    const train = await reader.read('train');
    expect(train.map((s) => s.words)).toEqual([
      ['EU', 'rejects', 'German'],
      ['Peter', 'Blackburn'],
    ]);
    expect(train.map((s) => s.annotations.ner)).toEqual([
      [
        { start: 0, end: 1, label: 'ORG' },
        { start: 2, end: 3, label: 'MISC' },
      ],
      [{ start: 0, end: 2, label: 'PER' }],
    ]);
    expect(train[1]!.id).toBe('train:7');
    expect(await reader.read('test')).toHaveLength(2);
    // IOB2 is the default: an I- that starts an entity is an error at its file and line.
    await expect(reader.read('dev')).rejects.toThrow(DataFormatError);
    await expect(reader.read('dev')).rejects.toThrow(/dev\.txt:1: I-LOC does not continue/);
  });

  it('accepts IOB1 when told, and names the missing file and the field to set', async () => {
    const iob1 = new BioCorpus({ directory: folder, scheme: 'iob1' });
    expect((await iob1.read('dev'))[0]!.annotations.ner).toEqual([
      { start: 0, end: 1, label: 'LOC' },
    ]);
    const missing = new BioCorpus({ directory: folder });
    await expect(missing.read('train')).rejects.toThrow(CorpusNotFoundError);
    await expect(missing.read('train')).rejects.toThrow(
      /BIO train file .*train\.txt does not exist/,
    );
    const absolute = new BioCorpus({
      directory: '/nowhere',
      files: { test: join(folder, 'test.txt') },
    });
    expect(await absolute.read('test')).toHaveLength(2);
  });
});
