/**
 * The fuzz campaign in small: 300 seeded mutants per target. Each must parse or fail with a
 * project error naming its file; the full 10,000-case run is `node tools/fuzz/run.mjs`.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
// @ts-expect-error -- plain ESM module of the tool, without type declarations
import { runCampaign, unexplained } from '../src/campaign.mjs';
// @ts-expect-error -- plain ESM module of the tool, without type declarations
import { createTargets } from '../src/targets.mjs';

interface Row {
  target: string;
  cases: number;
  parsed: number;
  projectErrors: number;
  other: number;
}
type Read = (bytes: Buffer, file: string, seedIndex: number) => unknown;
type Targets = Record<string, { seeds: Buffer[]; read: Read }>;

const CASES = 300;
let targets: Targets;
let cleanup: () => void;

beforeAll(async () => {
  ({ targets, cleanup } = await createTargets());
});
afterAll(() => cleanup());

describe('fuzz campaign', () => {
  it('accepts every unmutated seed file', async () => {
    for (const [name, target] of Object.entries(targets)) {
      if (name === 'run-directory') continue; // its weights file is absent on purpose
      for (const [i, seed] of target.seeds.entries()) await target.read(seed, `${name}.seed`, i);
    }
  });

  it('tells project errors naming the file from other exceptions', () => {
    const named = Object.assign(new Error('x.conllu:3: bad'), { name: 'DataFormatError' });
    expect(unexplained(named, 'x.conllu')).toBeUndefined();
    expect(unexplained(named, 'y.conllu')).toMatch(/not naming y\.conllu/);
    const crash = new TypeError('x.conllu: undefined is not a function');
    expect(unexplained(crash, 'x.conllu')).toMatch(/^TypeError/);
  });

  it.each([
    'conllu',
    'conll2012',
    'ptb',
    'bio',
    'plain-text',
    'config',
    'safetensors',
    'run-directory',
  ])('%s: 300 mutants parse or raise a project error naming the file', async (name) => {
    const { rows, findings } = (await runCampaign({
      targets,
      names: [name],
      cases: CASES,
      seed: 20211107,
    })) as { rows: Row[]; findings: Array<{ case: number; why: string }> };
    expect(findings.map((f) => `case ${f.case}: ${f.why}`)).toEqual([]);
    const row = rows[0]!;
    expect(row.parsed + row.projectErrors).toBe(CASES);
    // The mutations must break inputs often, or the campaign proves nothing.
    expect(row.projectErrors).toBeGreaterThan(CASES / 5);
  });
});
