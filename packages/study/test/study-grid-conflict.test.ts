import { ConfigError } from '@stem/core';
import { describe, expect, it } from 'vitest';
import { GRADIENT_CONFLICT_TYPE, runExperimentConfig } from '../src/study/run-config.js';
import { parseStudyConfig } from '../src/study/study-config.js';
import { expandGrid } from '../src/study/study-grid.js';

const STUDY = `
name: four
seeds: 2
encoder: { type: stem.encoder.transformer.v1, path: models/x }
tasks:
  pos: { type: stem.task.pos.softmax.v1, dataset: { type: stem.dataset.ewt-5.v1 } }
  ner: { type: stem.task.ner.biaffine.v1, dataset: { type: stem.dataset.gum-ner.v1 } }
  dep: { type: stem.task.dep.biaffine.v1, dataset: { type: stem.dataset.ewt-5.v1 } }
settings: { pairs: true }
`;

/** Every run's generated config, by run id. */
function configsOf(
  text: string,
): Map<string, { setting: string; config: Record<string, unknown> }> {
  const study = parseStudyConfig(text, 'four.yaml');
  return new Map(
    expandGrid(study).runs.map((run) => [
      run.id,
      { setting: run.setting, config: runExperimentConfig(study, run, 'studies/four') },
    ]),
  );
}

describe('conflict in a study config', () => {
  it('puts the meter into the MTL runs (pairs and all tasks) only, with the given settings', () => {
    const configs = configsOf(`${STUDY}conflict: { every: 5, probeSentences: 8 }\n`);
    const withMeter = [...configs]
      .filter(([, c]) => (c.config['trainingComponents'] as Record<string, unknown>)?.['conflict'])
      .map(([id]) => id)
      .sort();
    expect(withMeter).toEqual(
      ['mtl3-s1', 'mtl3-s2', 'pair-pos+ner-s1', 'pair-pos+ner-s2', 'pair-pos+dep-s1']
        .concat(['pair-pos+dep-s2', 'pair-ner+dep-s1', 'pair-ner+dep-s2'])
        .sort(),
    );
    expect(configs.get('mtl3-s1')!.config['trainingComponents']).toEqual({
      conflict: { type: GRADIENT_CONFLICT_TYPE, every: 5, probeSentences: 8 },
    });
    // The MTL pruning run keeps its gates and gets no meter; STL and STL-DP runs neither.
    expect(configs.get('mtl3-dp-s1')!.config['trainingComponents']).not.toHaveProperty('conflict');
    expect(configs.get('stl-dp-pos-s1')!.config['trainingComponents']).not.toHaveProperty(
      'conflict',
    );
    expect(configs.get('stl-pos-s1')!.config).not.toHaveProperty('trainingComponents');
  });

  it('`conflict: true` takes the meter defaults', () => {
    const configs = configsOf(`${STUDY}conflict: true\n`);
    expect(configs.get('pair-ner+dep-s2')!.config['trainingComponents']).toEqual({
      conflict: { type: GRADIENT_CONFLICT_TYPE },
    });
  });

  it('`conflict: false` is off', () => {
    expect(configsOf(`${STUDY}conflict: false\n`)).toEqual(configsOf(STUDY));
  });

  it('changes nothing else: without the meter section every run config is the same as without conflict', () => {
    const without = configsOf(STUDY);
    const withMeter = configsOf(`${STUDY}conflict: true\n`);
    expect([...withMeter.keys()]).toEqual([...without.keys()]);
    for (const [id, { config }] of withMeter) {
      const stripped = structuredClone(config);
      const components = stripped['trainingComponents'] as Record<string, unknown> | undefined;
      if (components) {
        delete components['conflict'];
        if (Object.keys(components).length === 0) delete stripped['trainingComponents'];
      }
      expect(stripped, id).toEqual(without.get(id)!.config);
    }
  });

  it('rejects an unknown conflict field, naming it', () => {
    let error: unknown;
    try {
      parseStudyConfig(`${STUDY}conflict: { evry: 5 }\n`, 'bad.yaml');
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as ConfigError).message).toMatch(/conflict/);
    expect(() => parseStudyConfig(`${STUDY}conflict: { every: 0 }\n`, 'bad.yaml')).toThrow(
      ConfigError,
    );
  });
});
