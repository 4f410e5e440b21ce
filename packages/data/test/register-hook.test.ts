import {
  ComponentRegistry,
  CORE_VERSION,
  SeededRandom,
  createRegistrationFacade,
  type TensorFlow,
} from '@stem/core';
import { describe, expect, it } from 'vitest';
import { CORPORA, findCorpus } from '../src/corpora/catalog.js';
import type { CorpusReader } from '../src/corpora/corpus-reader.js';
import hook from '../src/plugin/register-hook.js';

describe('stem:register hook', () => {
  const registry = new ComponentRegistry();
  const context = {
    tf: {} as TensorFlow,
    random: new SeededRandom(0),
    container: undefined as never,
  };

  it('registers every corpus of the catalog as a versioned dataset', async () => {
    const plugin = await hook({ coreVersion: CORE_VERSION });
    await plugin.register(
      createRegistrationFacade(
        registry,
        { name: '@stem/data', version: '0.1.0' },
        CORE_VERSION,
        {} as TensorFlow,
      ),
    );
    expect(
      registry
        .list('dataset')
        .map((c) => c.registration.id)
        .sort(),
    ).toEqual(CORPORA.map((c) => c.id).sort());
    expect(findCorpus('ud-ewt')?.id).toBe('stem.dataset.ud-ewt.v1');
    expect(findCorpus('stem.dataset.ewt-5.v1')?.name).toBe('ewt-5');
  });

  it('builds a UD EWT reader from a config that leaves path out', async () => {
    const component = registry.require('dataset', 'stem.dataset.ud-ewt.v1');
    const config = component.schema.parse({ type: 'stem.dataset.ud-ewt.v1' });
    expect(config).toMatchObject({ pos: 'xpos' });
    const reader = (await component.registration.create(config, context)) as CorpusReader;
    const dev = await reader.read('dev');
    expect(dev).toHaveLength(2001);
    expect(dev[0]!.annotations.pos![0]).toMatch(/^[A-Z$.,:`'-]+/);
    expect(
      component.schema.safeParse({ type: 'stem.dataset.ud-ewt.v1', pos: 'bogus' }).success,
    ).toBe(false);
  });

  it('passes a user path through to the reader', async () => {
    const component = registry.require('dataset', 'stem.dataset.ewt-5.v1');
    const reader = (await component.registration.create(
      component.schema.parse({ type: component.registration.id, path: '/elsewhere' }),
      context,
    )) as CorpusReader;
    expect(reader.location).toBe('/elsewhere');
  });
});

describe('registration conformance (@stem/testing)', () => {
  it('passes the kit every plugin runs (package.json aside: the CLI ships @stem/data itself)', async () => {
    const { checkRegistration } = await import('@stem/testing');
    const report = await checkRegistration({
      packageDirectory: new URL('..', import.meta.url).pathname,
      hook,
      installable: false,
    });
    expect(report.components.map((c) => c.id).sort()).toEqual(CORPORA.map((c) => c.id).sort());
  });
});
