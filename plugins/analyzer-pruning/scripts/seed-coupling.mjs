#!/usr/bin/env node
// Prints the seed-coupling diagnostic (mean Pearson r between gate vectors of runs of
// different tasks, same seed vs different seeds) for pruning summaries:
//   node plugins/analyzer-pruning/scripts/seed-coupling.mjs docs/study-cpu/pruning/stl-dp-*/pruning/gates.json
// Needs the plugin built (pnpm --filter @stem/analyzer-pruning build).
import { readFile } from 'node:fs/promises';
import { seedCoupling, undecidedGateCount } from '../dist/index.js';

const files = process.argv.slice(2);
if (files.length === 0) {
  console.error('usage: seed-coupling.mjs <run>/pruning/gates.json ...');
  process.exit(2);
}
const runs = [];
for (const file of files) {
  const summary = JSON.parse(await readFile(file, 'utf8'));
  runs.push({
    source: file,
    tasks: summary.tasks,
    seed: summary.seed,
    gates: summary.final.gates,
  });
}
const format = (group) =>
  `${group.meanR === null ? 'n/a' : group.meanR.toFixed(3)} over ${group.pairs} pair(s)`;
const coupling = seedCoupling(runs);
const undecided = runs.filter((run) => undecidedGateCount(run.gates) > 0).length;
console.log(
  `${runs.length} runs (${undecided} with undecided gates), tasks ${[...new Set(runs.map((r) => r.tasks.join('+')))].join(', ')}`,
);
console.log(`same seed:      mean r ${format(coupling.sameSeed)}`);
console.log(`different seed: mean r ${format(coupling.differentSeed)}`);
