#!/usr/bin/env node
/**
 * node tools/fuzz/run.mjs --cases N [--target T] [--seed S] [--out DIR]
 * Prints a table of outcomes per target; every unexplained exception is listed and its
 * input saved under DIR (default tools/fuzz/findings). Exits 1 when there is any.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { formatTable, runCampaign } from './src/campaign.mjs';
import { createTargets } from './src/targets.mjs';

const { values } = parseArgs({
  options: {
    cases: { type: 'string', default: '1000' },
    target: { type: 'string', multiple: true },
    seed: { type: 'string', default: '20211107' },
    out: { type: 'string', default: join(dirname(fileURLToPath(import.meta.url)), 'findings') },
  },
});
const cases = Number(values.cases);
const seed = Number(values.seed);
if (!Number.isInteger(cases) || cases < 1 || !Number.isInteger(seed)) {
  console.error('usage: node tools/fuzz/run.mjs --cases N [--target T]... [--seed S] [--out DIR]');
  process.exit(2);
}
const { targets, cleanup } = await createTargets();
const names = values.target ?? Object.keys(targets);
const unknown = names.filter((n) => !(n in targets));
if (unknown.length > 0) {
  console.error(
    `unknown target ${unknown.join(', ')}; targets: ${Object.keys(targets).join(', ')}`,
  );
  process.exit(2);
}
try {
  const { rows, findings } = await runCampaign({
    targets,
    names,
    cases,
    seed,
    onCase: (name, n) => {
      if ((n + 1) % 1000 === 0) process.stderr.write(`${name}: ${n + 1}/${cases}\n`);
    },
  });
  console.log(`seed ${seed}\n${formatTable(rows)}`);
  if (findings.length > 0) mkdirSync(values.out, { recursive: true });
  for (const f of findings) {
    const file = join(values.out, `${f.target}-seed${seed}-case${f.case}.bin`);
    writeFileSync(file, f.bytes);
    console.log(
      `\n${f.target} case ${f.case} (seed file ${f.seedIndex}; ${f.mutations.join(', ')}): ${f.why}\n  input: ${file}\n  ${f.stack?.split('\n').slice(1, 4).join('\n  ')}`,
    );
  }
  process.exitCode = findings.length > 0 ? 1 : 0;
} finally {
  cleanup();
}
