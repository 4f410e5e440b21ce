#!/usr/bin/env node
// stem's training step against PyTorch CPU's on the same shapes, in one invocation: for each
// shape and thread count, PyTorch (pytorch_step.py) and stem on each --devices entry run
// interleaved, A B A B ..., --reps times each; then matrix-product GFLOP/s (OpenBLAS alone,
// the native kernel, plain wasm). Prints per side the median of the repetitions, their
// min-max and interquartile range, stem's ratio to PyTorch and the load average before and
// after each block. --json writes every raw step time; --render re-prints a saved file's table.
//
// Each repetition is a fresh process (warm-up steps, then --steps timed steps; its median is
// the repetition's sample). Fresh processes, not more timed blocks in one process, because
// what varies most between runs here is per process (memory layout, JIT, allocator and wasm
// heap state, where the OS puts the threads): timed blocks in one process would share it and
// understate the spread, and the A B alternation would only cover one start of each program.
//
//   pnpm --filter @stem/compute-native --filter @stem/core --filter @stem/encoder-transformer build
//   apt-get install -y python3-torch libopenblas0-pthread
//   node tools/bench/encoder-step/compare.mjs [--reps 5] [--devices wasm,wasm-plain,native]
//     [--threads 1,2] [--shapes L2H128-16x32,...] [--json out.json] [--quick] [--no-matmul]
//   node tools/bench/encoder-step/compare.mjs --render out.json
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, readFileSync, realpathSync, writeFileSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { importBuilt } from '../repository.mjs';
import { failureReason, interleavedSchedule, resultTable } from './bench-stats.mjs';

const here = dirname(fileURLToPath(import.meta.url));
const PYTORCH = 'PyTorch';

/** The shapes of issue 24; `steps` timed steps per process keep each process a few seconds. */
const L2H128 = { layers: 2, heads: 4, hidden: 128, ffn: 512, vocab: 8000 };
const L4H256 = { layers: 4, heads: 8, hidden: 256, ffn: 1024, vocab: 8000 };
// packages/model-stem-mini/model/config.json and examples/stem-mini.yaml's mini-batch.
const STEM_MINI = { layers: 4, heads: 8, hidden: 256, ffn: 1024, vocab: 16000 };
const SHAPES = [
  { id: 'L2H128-16x32', model: L2H128, batch: 16, seq: 32, steps: 12 },
  { id: 'L2H128-32x64', model: L2H128, batch: 32, seq: 64, steps: 8 },
  { id: 'L4H256-16x32', model: L4H256, batch: 16, seq: 32, steps: 8 },
  { id: 'L4H256-32x64', model: L4H256, batch: 32, seq: 64, steps: 5 },
  { id: 'stem-mini-16x128', model: STEM_MINI, batch: 16, seq: 128, steps: 4 },
];

const { values } = parseArgs({
  options: {
    quick: { type: 'boolean', default: false },
    reps: { type: 'string', default: '5' },
    shapes: { type: 'string', default: SHAPES.map((s) => s.id).join(',') },
    threads: { type: 'string', default: '1,2' },
    devices: { type: 'string', default: 'wasm,wasm-plain,native' },
    steps: { type: 'string' },
    warmup: { type: 'string' },
    optimizer: { type: 'string', default: 'adamw' },
    json: { type: 'string' },
    render: { type: 'string' },
    'no-matmul': { type: 'boolean', default: false },
    'no-step': { type: 'boolean', default: false },
    python: { type: 'string', default: '/usr/bin/python3' },
    reference: { type: 'string', default: join(here, 'pytorch_step.py') },
  },
});

function usageError(message) {
  console.error(`compare.mjs: ${message}`);
  process.exit(2);
}
const positiveInteger = (flag, text) => {
  const n = Number(text);
  if (!Number.isInteger(n) || n < 1)
    usageError(`--${flag} must be a positive integer, got "${text}"`);
  return n;
};

if (values.render) {
  if (!existsSync(values.render)) usageError(`--render: ${values.render} does not exist`);
  console.log(resultTable(JSON.parse(readFileSync(values.render, 'utf8')), PYTORCH));
  process.exit(0);
}

const reps = positiveInteger('reps', values.reps);
const threadCounts = values.threads.split(',').map((t) => positiveInteger('threads', t));
const wanted = values.shapes.split(',').map((s) => s.trim().toLowerCase());
const shapes = SHAPES.filter((s) => wanted.includes(s.id.toLowerCase()));
const unknownShapes = wanted.filter((w) => !SHAPES.some((s) => s.id.toLowerCase() === w));
if (unknownShapes.length > 0)
  usageError(
    `unknown --shapes ${unknownShapes.join(', ')}: known ${SHAPES.map((s) => s.id).join(', ')}`,
  );
const warmup = values.warmup ? positiveInteger('warmup', values.warmup) : values.quick ? 1 : 2;
const stepsOf = (shape) =>
  values.steps ? positiveInteger('steps', values.steps) : values.quick ? 3 : shape.steps;

const load = () => loadavg().map((l) => Math.round(l * 100) / 100);
const loadText = (l) => l.map((x) => x.toFixed(2)).join(' ');
console.log(`load average at start: ${loadText(load())} (${cpus().length} cores)`);

/** Runs a command, returns its last JSON line, or `{ error }` with the end of its output. */
function jsonLine(command, args, env = {}) {
  const result = spawnSync(command, args, {
    encoding: 'utf8',
    env: { ...process.env, ...env },
    maxBuffer: 64 * 1024 * 1024,
  });
  const lines = (result.stdout ?? '')
    .trim()
    .split('\n')
    .filter((l) => l.startsWith('{'));
  if (result.status !== 0 || lines.length === 0) {
    const reason = result.error?.message ?? failureReason(`${result.stderr}\n${result.stdout}`);
    return { error: reason === 'no output' ? `exit status ${result.status}` : reason };
  }
  return JSON.parse(lines[lines.length - 1]);
}

/** Both sides get the same thread caps: OpenMP's (PyTorch), OpenBLAS's and the addon's. */
const threadEnv = (threads) => ({
  STEM_THREADS: String(threads),
  OMP_NUM_THREADS: String(threads),
  OPENBLAS_NUM_THREADS: String(threads),
});

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

function pytorchSide() {
  if (!existsSync(values.python))
    return {
      skip: `${values.python} not found (apt-get install python3-torch libopenblas0-pthread)`,
    };
  if (!existsSync(values.reference)) return { skip: `${values.reference} not found` };
  const probe = spawnSync(values.python, ['-c', 'import torch; print(torch.__version__)'], {
    encoding: 'utf8',
  });
  if (probe.status !== 0)
    return {
      skip: 'python3 cannot import torch (apt-get install python3-torch libopenblas0-pthread)',
    };
  return { info: { torch: probe.stdout.trim(), blas: torchBlas(), script: values.reference } };
}

/** A stem device is used when this build of @stem/core knows it and its backend loads. */
async function stemSide(device) {
  const { DEVICE_CHOICES } = await importBuilt('packages/core/dist/compute/backend-name.js');
  if (!DEVICE_CHOICES.includes(device))
    return {
      skip: `this build of @stem/core has no device "${device}" (it has ${DEVICE_CHOICES.join(', ')})`,
    };
  const probe = jsonLine(
    process.execPath,
    [join(here, 'bench-encoder-step.mjs'), '--device', device, '--probe'],
    threadEnv(1),
  );
  if (probe.error) return { skip: `its backend does not load: ${probe.error}` };
  return { info: probe };
}

function stepArgs(shape) {
  const m = shape.model;
  return [
    ...['layers', 'heads', 'hidden', 'ffn', 'vocab'].flatMap((k) => [`--${k}`, String(m[k])]),
    ...['--batch', String(shape.batch), '--seq', String(shape.seq)],
    ...['--steps', String(stepsOf(shape)), '--warmup', String(warmup)],
    ...['--optimizer', values.optimizer],
  ];
}

function runSide(side, shape, threads) {
  const started = performance.now();
  const result =
    side.name === PYTORCH
      ? jsonLine(
          values.python,
          [values.reference, ...stepArgs(shape), '--threads', String(threads)],
          threadEnv(threads),
        )
      : jsonLine(
          process.execPath,
          [join(here, 'bench-encoder-step.mjs'), '--device', side.device, ...stepArgs(shape)],
          threadEnv(threads),
        );
  const processMs = Math.round(performance.now() - started);
  if (result.error) return { error: result.error, processMs };
  return {
    medianMs: result.medianMs,
    samples: result.samples,
    loss: result.loss,
    backend: result.backend ?? result.impl,
    native: result.native,
    processMs,
  };
}

const report = {
  tool: 'tools/bench/encoder-step/compare.mjs',
  startedAt: new Date().toISOString(),
  machine: {
    cpus: cpus().length,
    cpu: cpus()[0]?.model,
    node: process.version,
    platform: `${process.platform} ${process.arch}`,
  },
  options: {
    reps,
    warmup,
    threads: threadCounts,
    optimizer: values.optimizer,
    quick: values.quick,
  },
  sides: {},
  skipped: {},
  blocks: [],
  matmul: [],
};
const save = () => {
  if (values.json) writeFileSync(values.json, `${JSON.stringify(report, null, 1)}\n`);
};

if (!values['no-step']) {
  const sides = [];
  const torch = pytorchSide();
  if (torch.info) {
    sides.push({ name: PYTORCH });
    report.sides[PYTORCH] = torch.info;
    console.log(`${PYTORCH} ${torch.info.torch}, BLAS ${torch.info.blas}`);
  } else {
    report.skipped[PYTORCH] = torch.skip;
    console.log(`${PYTORCH}: skipped, ${torch.skip}`);
  }
  for (const device of values.devices.split(',').map((d) => d.trim())) {
    const name = `stem ${device}`;
    const stem = await stemSide(device);
    if (stem.skip) {
      report.skipped[name] = stem.skip;
      console.log(`${name}: skipped, ${stem.skip}`);
      continue;
    }
    sides.push({ name, device });
    report.sides[name] = stem.info;
    console.log(`${name}: ${stem.info.backend}, native kernels ${stem.info.native}`);
  }
  if (sides.length === 0) usageError('nothing to run: every side was skipped');

  for (const shape of shapes) {
    for (const threads of threadCounts) {
      const label = shape.id;
      const block = { shape: label, threads, loadBefore: load(), loadAfter: [], runs: [] };
      report.blocks.push(block);
      console.log(
        `\n${label}, ${threads} thread${threads > 1 ? 's' : ''}: ${reps} x ${sides.map((s) => s.name).join(' / ')}, ` +
          `${warmup} + ${stepsOf(shape)} steps per process; load before ${loadText(block.loadBefore)}`,
      );
      const schedule = interleavedSchedule(
        sides.map((s) => s.name),
        reps,
      );
      for (const [order, { side, repetition }] of schedule.entries()) {
        const run = runSide(
          sides.find((s) => s.name === side),
          shape,
          threads,
        );
        block.runs.push({ side, repetition, order, ...run });
        console.log(
          `  ${String(repetition).padStart(2)} ${side.padEnd(16)} ${run.error ? `error: ${run.error}` : `${run.medianMs.toFixed(1)} ms/step`}`,
        );
      }
      block.loadAfter = load();
      save();
      console.log(`load after ${loadText(block.loadAfter)}`);
      console.log(resultTable({ blocks: [block] }, PYTORCH));
    }
  }
  report.finishedAt = new Date().toISOString();
  save();
  if (report.blocks.length > 1) {
    console.log('\nall shapes:');
    console.log(resultTable(report, PYTORCH));
  }
}

if (!values['no-matmul']) {
  const sizes = values.quick ? '256,1024' : '256,512,1024,4096';
  console.log(`\nfloat32 matrix product, GFLOP/s (load ${loadText(load())})`);
  const run = (args, env, only = sizes) => {
    const result = spawnSync(
      process.execPath,
      [join(here, 'matmul-gflops.mjs'), ...args, '--sizes', only, '--min-seconds', '0.5'],
      { encoding: 'utf8', env: { ...process.env, ...env } },
    );
    const lines = (result.stdout ?? '').split('\n').filter((l) => l.startsWith('{'));
    if (result.status !== 0 || lines.length === 0)
      return { error: failureReason(`${result.stderr}\n${result.stdout}`) };
    return lines.map((l) => JSON.parse(l));
  };
  const series = [
    ['OpenBLAS alone, 1 thread', run(['--impl', 'blas'], threadEnv(1))],
    ['stem native, 1 thread', run(['--impl', 'wasm'], threadEnv(1))],
    ['OpenBLAS alone, 2 threads', run(['--impl', 'blas'], threadEnv(2))],
    ['stem native, 2 threads', run(['--impl', 'wasm'], threadEnv(2))],
    ['plain wasm (XNNPACK)', run(['--impl', 'wasm-plain'])],
    [
      'plain wasm, B transposed',
      run(['--impl', 'wasm-plain', '--transposed'], {}, sizes.replace(/,?4096/, '')),
    ],
  ];
  const header = sizes.split(',');
  console.log(`  ${'impl'.padEnd(28)}${header.map((n) => `n=${n}`.padStart(9)).join('')}`);
  for (const [name, results] of series) {
    report.matmul.push({ impl: name, results });
    const cells = header.map((n) => {
      const r = Array.isArray(results) ? results.find((x) => String(x.n) === n) : undefined;
      return (r ? String(r.gflops) : 'n/a').padStart(9);
    });
    console.log(
      `  ${name.padEnd(28)}${cells.join('')}${Array.isArray(results) ? '' : ` error: ${results.error}`}`,
    );
  }
  save();
}
