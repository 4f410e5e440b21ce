#!/usr/bin/env node
// Where a training step's time goes, kernel by kernel (wasm backend): wraps every registered
// wasm kernel with a timer, runs a few steps of bench-encoder-step's work and prints the top
// kernels by total time. Usage: node profile-step.mjs [--device wasm|wasm-plain] [--layers 4 ...]
import { parseArgs } from 'node:util';
const { selectBackend } = await importBuilt('packages/core/dist/index.js');
import { makeStep } from './training-step.mjs';
import { importBuilt } from '../repository.mjs';

const { values } = parseArgs({
  options: {
    device: { type: 'string', default: 'wasm' },
    layers: { type: 'string', default: '2' },
    heads: { type: 'string', default: '4' },
    hidden: { type: 'string', default: '128' },
    ffn: { type: 'string', default: '512' },
    batch: { type: 'string', default: '16' },
    seq: { type: 'string', default: '32' },
    steps: { type: 'string', default: '5' },
    top: { type: 'string', default: '20' },
  },
});
const { tf, info } = await selectBackend(values.device);
const totals = new Map();
for (const config of tf.getKernelsForBackend('wasm')) {
  const original = config.kernelFunc;
  tf.unregisterKernel(config.kernelName, 'wasm');
  tf.registerKernel({
    ...config,
    kernelFunc: (args) => {
      const start = performance.now();
      const out = original(args);
      const entry = totals.get(config.kernelName) ?? { ms: 0, calls: 0 };
      entry.ms += performance.now() - start;
      entry.calls += 1;
      totals.set(config.kernelName, entry);
      return out;
    },
  });
}
const step = makeStep(tf, {
  layers: Number(values.layers),
  heads: Number(values.heads),
  hidden: Number(values.hidden),
  ffn: Number(values.ffn),
  batch: Number(values.batch),
  seq: Number(values.seq),
});
await step();
totals.clear();
const steps = Number(values.steps);
const start = performance.now();
for (let i = 0; i < steps; i++) await step();
const wall = (performance.now() - start) / steps;
const rows = [...totals].sort((a, b) => b[1].ms - a[1].ms);
const kernelMs = rows.reduce((s, [, e]) => s + e.ms, 0) / steps;
console.log(
  `${values.device} (native: ${info.nativeKernels?.active ? 'on' : 'off'}): ${wall.toFixed(1)} ms/step, ${kernelMs.toFixed(1)} ms in kernels`,
);
for (const [name, e] of rows.slice(0, Number(values.top)))
  console.log(
    `  ${name.padEnd(22)} ${(e.ms / steps).toFixed(1).padStart(8)} ms/step ${((100 * e.ms) / steps / kernelMs).toFixed(1).padStart(5)}% ${String(e.calls / steps).padStart(6)} calls/step`,
  );
