import { readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import type { PruningRunGates } from '../src/overlap/overlap-analysis.js';
import { seedCoupling } from '../src/overlap/seed-coupling.js';

const run = (source: string, task: string, seed: number | undefined, gates: number[]) =>
  ({
    source,
    tasks: [task],
    ...(seed === undefined ? {} : { seed }),
    gates: [gates],
  }) as PruningRunGates;

describe('seed coupling between tasks', () => {
  it('averages Pearson r over different-task pairs at the same and at different seeds', () => {
    // One-hot vectors of length 4: r = 1 at the same position, -1/3 at different ones
    // (dx = [3, -1, -1, -1] / 4, dy = [-1, 3, -1, -1] / 4: sxy = -1/4, sxx = syy = 3/4).
    const result = seedCoupling([
      run('pos-s1', 'pos', 1, [1, 0, 0, 0]),
      run('ner-s1', 'ner', 1, [1, 0, 0, 0]),
      run('ner-s2', 'ner', 2, [0, 1, 0, 0]),
      run('pos-s2', 'pos', 2, [0, 1, 0, 0]),
      // Left out: no seed; a constant gate vector (r undefined).
      run('dep-?', 'dep', undefined, [0, 0, 1, 0]),
      run('srl-s1', 'srl', 1, [1, 1, 1, 1]),
    ]);
    // Same seed: pos-s1/ner-s1 and ner-s2/pos-s2 (r = 1); different: pos-s1/ner-s2 and
    // ner-s1/pos-s2 (r = -1/3). The same-task pairs pos-s1/pos-s2 and ner-s1/ner-s2 do not count.
    expect(result.sameSeed.pairs).toBe(2);
    expect(result.sameSeed.meanR).toBeCloseTo(1, 12);
    expect(result.differentSeed.pairs).toBe(2);
    expect(result.differentSeed.meanR).toBeCloseTo(-1 / 3, 12);
  });

  it('says null when there are no pairs', () => {
    expect(seedCoupling([])).toEqual({
      sameSeed: { meanR: null, pairs: 0 },
      differentSeed: { meanR: null, pairs: 0 },
    });
    const oneTask = seedCoupling([run('a', 'pos', 1, [1, 0]), run('b', 'pos', 1, [0, 1])]);
    expect(oneTask.sameSeed).toEqual({ meanR: null, pairs: 0 });
  });
});

describe("the README's seed-coupling figures", () => {
  it('are those of the committed study-cpu pruning runs', () => {
    const pruning = fileURLToPath(new URL('../../../docs/study-cpu/pruning/', import.meta.url));
    const runs = readdirSync(pruning)
      .filter((name) => name.startsWith('stl-dp-'))
      .map((name) => {
        const summary = JSON.parse(
          readFileSync(`${pruning}${name}/pruning/gates.json`, 'utf8'),
        ) as { tasks: string[]; seed: number; final: { gates: number[][] } };
        return {
          source: name,
          tasks: summary.tasks,
          seed: summary.seed,
          gates: summary.final.gates,
        } as PruningRunGates;
      });
    expect(runs).toHaveLength(15);
    const { sameSeed, differentSeed } = seedCoupling(runs);
    const readme = readFileSync(new URL('../README.md', import.meta.url), 'utf8').replace(
      /\s+/g,
      ' ',
    );
    expect(readme).toContain(
      `docs/study-cpu: ${sameSeed.meanR!.toFixed(3)} over ${sameSeed.pairs} pairs vs ${differentSeed.meanR!.toFixed(3)} over ${differentSeed.pairs});`,
    );
  });
});
