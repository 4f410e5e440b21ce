#!/usr/bin/env node
// One invocation, side by side on the same shapes: PyTorch CPU (1 and 2 threads, via
// --reference, the PyTorch script of the same step, kept outside the repository in the project's
// shared/bench folder beside the checkout, when Debian's python3-torch is installed),
// stem on plain wasm, stem with @stem/compute-native (1 and 2 OpenBLAS threads); then matrix
// product GFLOP/s (native vs OpenBLAS alone vs plain wasm). Each measurement runs in its own
// process, one after the other. Prints the machine load first: other work skews everything.
//
//   pnpm --filter @stem/compute-native --filter @stem/core --filter @stem/encoder-transformer build
//   node tools/bench/encoder-step/compare.mjs [--quick] [--no-matmul] [--no-step]
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, realpathSync } from 'node:fs';
import { loadavg } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { inRepository } from '../repository.mjs';

const here = dirname(fileURLToPath(import.meta.url));
const { values } = parseArgs({
  options: {
    quick: { type: 'boolean', default: false },
    'no-matmul': { type: 'boolean', default: false },
    'no-step': { type: 'boolean', default: false },
    python: { type: 'string', default: '/usr/bin/python3' },
    reference: {
      type: 'string',
      default: inRepository('../shared/bench/pytorch_reference.py'),
    },
  },
});

const MODELS = [
  { name: 'L2 H128', args: ['--layers', '2', '--heads', '4', '--hidden', '128', '--ffn', '512'] },
  { name: 'L4 H256', args: ['--layers', '4', '--heads', '8', '--hidden', '256', '--ffn', '1024'] },
];
const BATCHES = [
  { name: '16x32', args: ['--batch', '16', '--seq', '32'] },
  { name: '32x64', args: ['--batch', '32', '--seq', '64'] },
];

const load = () =>
  loadavg()
    .map((l) => l.toFixed(1))
    .join(' ');
console.log(`load average at start: ${load()}`);

function jsonLine(command, args, env = {}) {
  const result = spawnSync(command, args, { encoding: 'utf8', env: { ...process.env, ...env } });
  const line = result.stdout
    .trim()
    .split('\n')
    .filter((l) => l.startsWith('{'));
  if (result.status !== 0 || line.length === 0)
    return { error: (result.stderr || result.stdout).trim().split('\n').slice(-2).join(' ') };
  return line.map((l) => JSON.parse(l));
}

function torchAvailable() {
  if (!existsSync(values.python) || !existsSync(values.reference)) return false;
  return spawnSync(values.python, ['-c', 'import torch'], { stdio: 'ignore' }).status === 0;
}

function torchBlas() {
  try {
    const path = execFileSync(
      values.python,
      ['-c', 'import ctypes.util; print(ctypes.util.find_library("blas") or "")'],
      { encoding: 'utf8' },
    ).trim();
    const lib = [
      '/usr/lib/x86_64-linux-gnu/libblas.so.3',
      '/usr/lib/aarch64-linux-gnu/libblas.so.3',
    ].find(existsSync);
    return lib ? `${path || 'libblas.so.3'} -> ${realpathSync(lib)}` : path || 'unknown';
  } catch {
    return 'unknown';
  }
}

if (!values['no-step']) {
  const hasTorch = torchAvailable();
  if (hasTorch) console.log(`PyTorch BLAS (Debian builds use the system libblas): ${torchBlas()}`);
  else console.log('PyTorch: not found (apt-get install python3-torch libopenblas0-pthread)');
  const rows = [];
  for (const model of MODELS) {
    for (const batch of BATCHES) {
      const big = model.name === 'L4 H256' || batch.name === '32x64';
      const steps = values.quick ? ['--steps', '3'] : ['--steps', big ? '6' : '12'];
      const common = [...model.args, ...batch.args, ...steps];
      const stem = (device, threads) =>
        jsonLine(
          process.execPath,
          [join(here, 'bench-encoder-step.mjs'), '--device', device, ...common, '--warmup', '2'],
          {
            STEM_THREADS: String(threads),
          },
        )[0] ?? {};
      const torch = (threads) =>
        hasTorch
          ? (jsonLine(values.python, [
              values.reference,
              ...common,
              '--threads',
              String(threads),
            ])[0] ?? {})
          : {};
      const entry = {
        config: `${model.name} B${batch.name}`,
        tokens: Number(batch.args[1]) * Number(batch.args[3]),
        torch1: torch(1),
        torch2: torch(2),
        plain: stem('wasm-plain', 1),
        native1: stem('wasm', 1),
        native2: stem('wasm', 2),
        load: load(),
      };
      rows.push(entry);
      printStepRow(entry);
    }
  }
}

function printStepRow(e) {
  const ms = (r) => (r.stepMs === undefined ? 'n/a' : `${r.stepMs}`);
  const ratio = (r, ref) =>
    r.stepMs && ref.stepMs ? `${(r.stepMs / ref.stepMs).toFixed(2)}x` : 'n/a';
  const tps = (r) => (r.tokensPerSec === undefined ? 'n/a' : `${r.tokensPerSec}`);
  console.log(`\n${e.config} (${e.tokens} tokens/step; load ${e.load})`);
  console.log('  impl                         ms/step  tokens/s  vs PyTorch same threads');
  const row = (name, r, ref) =>
    console.log(
      `  ${name.padEnd(28)}${ms(r).padStart(8)}  ${tps(r).padStart(8)}  ${ref ? ratio(r, ref) : ''}${r.error ? ` error: ${r.error}` : ''}`,
    );
  row('PyTorch CPU, 1 thread', e.torch1);
  row('PyTorch CPU, 2 threads', e.torch2);
  row('stem plain wasm, 1 thread', e.plain, e.torch1);
  row('stem native, 1 thread', e.native1, e.torch1);
  row('stem native, 2 threads', e.native2, e.torch2);
}

if (!values['no-matmul']) {
  const sizes = values.quick ? '256,1024' : '256,512,1024,4096';
  console.log(`\nfloat32 matrix product, GFLOP/s (load ${load()})`);
  const run = (args, env, only = sizes) =>
    jsonLine(
      process.execPath,
      [join(here, 'matmul-gflops.mjs'), ...args, '--sizes', only, '--min-seconds', '0.5'],
      env,
    );
  const series = [
    ['OpenBLAS alone, 1 thread', run(['--impl', 'blas'], { STEM_THREADS: '1' })],
    ['stem native, 1 thread', run(['--impl', 'wasm'], { STEM_THREADS: '1' })],
    ['OpenBLAS alone, 2 threads', run(['--impl', 'blas'], { STEM_THREADS: '2' })],
    ['stem native, 2 threads', run(['--impl', 'wasm'], { STEM_THREADS: '2' })],
    ['plain wasm (XNNPACK)', run(['--impl', 'wasm-plain'])],
    [
      'plain wasm, B transposed',
      run(['--impl', 'wasm-plain', '--transposed'], {}, sizes.replace(/,?4096/, '')),
    ],
  ];
  const header = sizes.split(',');
  console.log(`  ${'impl'.padEnd(28)}${header.map((n) => `n=${n}`.padStart(9)).join('')}`);
  for (const [name, results] of series) {
    const cells = header.map((n) => {
      const r = Array.isArray(results) ? results.find((x) => String(x.n) === n) : undefined;
      return (r ? String(r.gflops) : 'n/a').padStart(9);
    });
    console.log(
      `  ${name.padEnd(28)}${cells.join('')}${Array.isArray(results) ? '' : ` error: ${results.error}`}`,
    );
  }
}
