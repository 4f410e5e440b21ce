#!/usr/bin/env node
// One training step of @stem/encoder-transformer (forward + backward + AdamW, dropout on) on
// random token ids with a token classifier, the same work as pytorch_step.py.
// Prints one JSON line: backend, the time of every timed step (`samples`, after the warm-up),
// their median, tokens/s. `--probe` prints the backend it would run on and exits.
//
//   pnpm --filter @stem/core --filter @stem/encoder-transformer build
//   node tools/bench/encoder-step/bench-encoder-step.mjs --layers 4 --heads 8 --hidden 256 --ffn 1024 --batch 16 --seq 32
//
// --device wasm uses @stem/compute-native's OpenBLAS kernels where built (STEM_THREADS caps
// their threads); --device wasm-plain never; --device native runs the same kernels on
// tfjs-backend-cpu's tensors (no 4 GiB wasm heap). compare.mjs runs everything side by side.
// Imports the built packages by path: tools/bench is not a pnpm workspace member.
import { parseArgs } from 'node:util';
import { importBuilt } from '../repository.mjs';
import { makeStep, OPTIMIZERS, STEP_DEFAULTS } from './training-step.mjs';
const { selectBackend, DEVICE_CHOICES } = await importBuilt('packages/core/dist/index.js');

/** `learningRate` -> `learning-rate`: the flag of a STEP_DEFAULTS key. */
const flagOf = (key) => key.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`);

const { values } = parseArgs({
  options: {
    ...Object.fromEntries(Object.keys(STEP_DEFAULTS).map((k) => [flagOf(k), { type: 'string' }])),
    optimizer: { type: 'string', default: 'adamw' },
    steps: { type: 'string', default: '20' },
    warmup: { type: 'string', default: '3' },
    device: { type: 'string', default: 'auto' },
    probe: { type: 'boolean', default: false },
  },
});
const fail = (message) => {
  console.error(`bench-encoder-step: ${message}`);
  process.exit(2);
};
if (!DEVICE_CHOICES.includes(values.device))
  fail(
    `unknown --device "${values.device}": this build of @stem/core knows ${DEVICE_CHOICES.join(', ')}`,
  );
if (!OPTIMIZERS.includes(values.optimizer))
  fail(`unknown --optimizer "${values.optimizer}": use ${OPTIMIZERS.join(' or ')}`);
const options = { optimizer: values.optimizer };
for (const key of Object.keys(STEP_DEFAULTS)) {
  const text = values[flagOf(key)];
  if (text === undefined) continue;
  const value = Number(text);
  if (!Number.isFinite(value)) fail(`--${flagOf(key)} must be a number, got "${text}"`);
  options[key] = value;
}
const a = { ...STEP_DEFAULTS, ...options };

const { tf, info } = await selectBackend(values.device);
const native = info.nativeKernels;
const backend = {
  device: values.device,
  backend: `${info.device} (${info.backend})`,
  native: native?.active
    ? `on, ${native.threads} threads`
    : `off${native?.reason ? ` (${native.reason})` : ''}`,
  blas: native?.blas,
  tfjs: info.tfjsVersion,
};
if (values.probe) {
  console.log(JSON.stringify(backend));
  process.exit(0);
}

const step = makeStep(tf, options);
const warmup = Number(values.warmup);
const samples = [];
const losses = [];
for (let i = 0; i < Number(values.steps) + warmup; i++) {
  const start = performance.now();
  const loss = await step();
  const elapsed = performance.now() - start;
  if (i >= warmup) samples.push(Math.round(elapsed * 1000) / 1000);
  losses.push(Math.round(loss * 1e4) / 1e4);
}
const sorted = [...samples].sort((x, y) => x - y);
const middle = sorted.length / 2;
const ms =
  sorted.length % 2 === 1
    ? sorted[Math.floor(middle)]
    : ((sorted[middle - 1] ?? 0) + (sorted[middle] ?? 0)) / 2;
console.log(
  JSON.stringify({
    impl: `stem-tfjs-${info.tfjsVersion}`,
    ...backend,
    cfg: `B${a.batch} T${a.seq} H${a.hidden} L${a.layers} heads${a.heads} F${a.ffn} V${a.vocab}`,
    optimizer: step.optimizer,
    params: step.parameterCount,
    samples,
    medianMs: Math.round(ms * 1000) / 1000,
    stepMs: Math.round(ms * 10) / 10,
    tokensPerSec: Math.round(step.tokens / (ms / 1000)),
    loss: [losses[0], losses[losses.length - 1]],
    tensors: tf.memory().numTensors,
  }),
);
