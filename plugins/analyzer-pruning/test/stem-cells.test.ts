import { readFile } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import {
  STEM_CELL_DEFINITION,
  claimedByTaskCount,
  claimsByTask,
  stemCellHeads,
} from '../src/overlap/stem-cells.js';

const T = true;
const F = false;

describe('stem-cell definition', () => {
  it('claims a head kept in at least half of a task’s runs (2 of 3, 1 of 2)', () => {
    const { tasks, claimed } = claimsByTask([
      // pos, three runs: head 1 kept 3x, head 2 kept 2x (claimed), head 3 kept 1x (not).
      { task: 'pos', kept: [[T, T, T]] },
      { task: 'ner', kept: [[T, F, T]] },
      { task: 'pos', kept: [[T, T, F]] },
      { task: 'pos', kept: [[T, F, F]] },
      // ner, two runs: heads kept once are claimed (1 of 2 is half).
      { task: 'ner', kept: [[F, F, T]] },
    ]);
    expect(tasks).toEqual(['pos', 'ner']);
    expect(claimed).toEqual([[[T, T, F]], [[T, F, T]]]);
    const counts = claimedByTaskCount(claimed);
    expect(counts).toEqual([[2, 1, 1]]);
    expect(stemCellHeads(counts, tasks.length)).toEqual([{ layer: 0, head: 0 }]);
  });

  it('lists every head claimed by all tasks, 0-based, layer by layer', () => {
    const counts = [
      [3, 2, 3],
      [0, 3, 1],
    ];
    expect(stemCellHeads(counts, 3)).toEqual([
      { layer: 0, head: 0 },
      { layer: 0, head: 2 },
      { layer: 1, head: 1 },
    ]);
    expect(stemCellHeads([[0, 0]], 0)).toEqual([]);
    expect(claimedByTaskCount([])).toEqual([]);
  });

  it('refuses runs of different shapes and states the definition in one sentence', () => {
    expect(() =>
      claimsByTask([
        { task: 'pos', kept: [[T, F]] },
        { task: 'ner', kept: [[T, F, T]] },
      ]),
    ).toThrow(/ner run is 1 x 3, the first is 1 x 2/);
    expect(STEM_CELL_DEFINITION).toMatch(/at least half .* claimed by every task compared\.$/);
  });

  it('is quoted verbatim by the plugin README', async () => {
    const readme = await readFile(new URL('../README.md', import.meta.url), 'utf8');
    expect(readme.replace(/\s+/g, ' ')).toContain(`"${STEM_CELL_DEFINITION}"`);
  });
});
