import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { cliNotBuilt, envelope, isolatedHome, runStem } from './run-stem.js';

interface Plan {
  tasks: string[];
  seeds: number[];
  runs: Array<{
    id: string;
    kind: string;
    directory: string;
    state: string;
    estimatedSteps: number;
  }>;
  probes: Array<{ id: string; setting: string }>;
  missing: string[];
}

// The grids of the presets are tested on planStudy itself (packages/study/test/study-plan.test.ts);
// here, the command: its flags, --json envelope and exit code.
describe.skipIf(cliNotBuilt('commands/study/plan.js'))('stem study plan on the presets', () => {
  let env: NodeJS.ProcessEnv;
  let out: string;
  beforeAll(async () => {
    env = await isolatedHome();
    out = await mkdtemp(join(tmpdir(), 'stem-study-plan-'));
  });

  const plan = async (preset: string, ...extra: string[]) => {
    const run = await runStem(
      ['study', 'plan', '-c', `examples/${preset}`, '--out', join(out, preset), '--json', ...extra],
      env,
    );
    expect(run.code, run.stderr).toBe(0);
    return envelope<Plan>(run).result;
  };

  it('study-quick: one seed, five tasks, STL + MTL-5 + pruning + probes, stem-mini present', async () => {
    const result = await plan('study-quick.yaml');
    expect(result.tasks).toEqual(['pos', 'ner', 'dep', 'con', 'srl']);
    expect(result.seeds).toEqual([1]);
    expect(result.runs.map((r) => r.directory)).toContain('runs/mtl5-s1');
    expect(result.runs.map((r) => r.directory)).toContain('pruning/mtl5-dp-s1');
    expect(result.runs).toHaveLength(5 + 1 + 5 + 1);
    expect(result.probes).toHaveLength(5 + 5 + 5);
    expect(result.runs.every((r) => r.state === 'pending')).toBe(true);
    // The encoder ships in the repository: nothing it names is missing but (maybe) ewt-5.
    expect(result.missing.filter((m) => !m.startsWith('ewt-5'))).toEqual([]);
  });

  it('study-paper: validates without bert-base-cased or OntoNotes and lists them as missing', async () => {
    const result = await plan('study-paper.yaml', '--only', 'stl,stl-dp', '--seeds', '1');
    expect(result.runs).toHaveLength(10);
    expect(result.missing.some((m) => m.startsWith('encoder.path'))).toBe(true);
    expect(result.missing.some((m) => m.includes('data/conll-2012/v4/data'))).toBe(true);
    expect(result.missing.some((m) => m.includes('data/ontonotes-sd'))).toBe(true);
  });

  it('refuses a study whose generated run config is invalid, naming the study line, run and field', async () => {
    const run = await runStem(
      [
        'study',
        'plan',
        '-c',
        'examples/study-quick.yaml',
        '--set',
        'trainer.epochs=none',
        '--json',
      ],
      env,
    );
    expect(run.code).not.toBe(0);
    const { error } = envelope(run);
    expect(error?.code).toBe('CONFIG_INVALID');
    // At the study config's own line of the field, then the run and its generated file.
    expect(error?.message).toMatch(
      /study-quick\.yaml:44: trainer\.epochs: .*\(run stl-pos-s1, generated .*runs\/stl-pos-s1\/config\.yaml:\d+: trainer\.epochs\)/,
    );
  });
});
