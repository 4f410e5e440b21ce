#!/usr/bin/env node
// Quality gate (b) of MODEL_CARD.md: STL POS on ud-ewt from stem-mini and from its random twin
// (same shape, random weights), each at two encoder rates. Trains the four runs one after the
// other with the workspace CLI and copies what the card's table is read from (config.yaml,
// manifest.json, metrics.ndjson, results.json; no checkpoints) to training/gate-b/<run>/,
// where test/gate-b.test.ts reads them.
//   STEM_THREADS=1 node packages/model-stem-mini/scripts/gate-b-runs.mjs            # train + copy
//   node packages/model-stem-mini/scripts/gate-b-runs.mjs --from /tmp/gate-b/runs  # copy only
// Run from the repository root (the configs name packages/model-stem-mini/model by that path).
import { spawnSync } from 'node:child_process';
import {
  copyFileSync,
  existsSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  writeFileSync,
} from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';

/** The card's gate (b) table: each encoder at the rate tuned on dev and at one other. */
export const GATE_B_RUNS = [
  { name: 'stem-mini-enc3e-4', config: 'examples/pos-ewt-mini.yaml', encoderLearningRate: '3e-4' },
  { name: 'stem-mini-enc1e-4', config: 'examples/pos-ewt-mini.yaml', encoderLearningRate: '1e-4' },
  {
    name: 'random-enc3e-4',
    config: 'examples/pos-ewt-mini-random.yaml',
    encoderLearningRate: '3e-4',
  },
  {
    name: 'random-enc1e-3',
    config: 'examples/pos-ewt-mini-random.yaml',
    encoderLearningRate: '1e-3',
  },
];
const COMMITTED_FILES = ['manifest.json', 'metrics.ndjson', 'results.json'];

const repositoryRoot = fileURLToPath(new URL('../../..', import.meta.url));
const target = fileURLToPath(new URL('../training/gate-b', import.meta.url));

/** The example config with the run's name and encoder rate, as `--set` gave them to stem train. */
function runConfig(run) {
  const example = readFileSync(join(repositoryRoot, run.config), 'utf8');
  const nameLine = /^name: .*$/m;
  const rateLine = /^(\s+encoderLearningRate:) .*$/m;
  if (!nameLine.test(example) || !rateLine.test(example))
    throw new Error(`${run.config}: no name or trainer.encoderLearningRate line to set`);
  const config = example
    .replace(nameLine, `name: ${run.name}`)
    .replace(rateLine, `$1 ${Number(run.encoderLearningRate)}`);
  return `# Gate (b) run ${run.name}: ${run.config} with --set name=${run.name} --set trainer.encoderLearningRate=${Number(run.encoderLearningRate)}.\n# \`stem train -c <this file>\` from the repository root trains it again.\n${config}`;
}

/** The newest finished run directory of `name` under `runs` (stem train adds a time and seed). */
function finishedRun(runs, name) {
  const found = readdirSync(runs)
    .filter((d) => d.startsWith(`${name}-`) && existsSync(join(runs, d, 'results.json')))
    .sort();
  return found.length > 0 ? join(runs, found.at(-1)) : undefined;
}

const { values } = parseArgs({ options: { from: { type: 'string' } } });
const runs = values.from ?? join(repositoryRoot, 'runs', 'gate-b');
for (const run of GATE_B_RUNS) {
  if (!values.from) {
    const args = ['apps/cli/bin/run.js', 'train', '-c', run.config, '--set', `name=${run.name}`];
    args.push('--set', `trainer.encoderLearningRate=${Number(run.encoderLearningRate)}`);
    args.push('--set', `output.directory=${runs}`);
    console.error(`training ${run.name}`);
    const trained = spawnSync(process.execPath, args, { cwd: repositoryRoot, stdio: 'inherit' });
    if (trained.status !== 0)
      throw new Error(`${run.name}: stem train exited with ${trained.status}`);
  }
  const directory = finishedRun(runs, run.name);
  if (!directory) throw new Error(`${runs}: no finished run of ${run.name}`);
  const out = join(target, run.name);
  mkdirSync(out, { recursive: true });
  for (const file of COMMITTED_FILES) copyFileSync(join(directory, file), join(out, file));
  writeFileSync(join(out, 'config.yaml'), runConfig(run));
  console.error(`${run.name}: ${directory} -> ${out}`);
}
