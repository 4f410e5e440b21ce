#!/usr/bin/env node
// One training step of @stem/encoder-transformer (forward + backward + Adam) on random token
// ids with a token classifier, the same work as compare.mjs's PyTorch reference.
// Prints one JSON line per run: backend, median ms per step and tokens/s.
//
//   pnpm --filter @stem/core --filter @stem/encoder-transformer build
//   node tools/bench/encoder-step/bench-encoder-step.mjs --layers 4 --heads 8 --hidden 256 --ffn 1024 --batch 16 --seq 32
//
// --device wasm uses @stem/compute-native's OpenBLAS kernels where built (STEM_THREADS caps
// their threads); --device wasm-plain never. compare.mjs runs everything side by side.
// Imports the built packages by path: tools/bench is not a pnpm workspace member.
import { parseArgs } from 'node:util';
const { selectBackend } = await importBuilt('packages/core/dist/index.js');
import { makeStep, STEP_DEFAULTS } from './training-step.mjs';
import { importBuilt } from '../repository.mjs';

const { values } = parseArgs({
  options: {
    ...Object.fromEntries(Object.keys(STEP_DEFAULTS).map((k) => [k, { type: 'string' }])),
    steps: { type: 'string', default: '20' },
    warmup: { type: 'string', default: '3' },
    device: { type: 'string', default: 'auto' },
  },
});
const options = Object.fromEntries(
  Object.keys(STEP_DEFAULTS)
    .filter((k) => values[k] !== undefined)
    .map((k) => [k, Number(values[k])]),
);
const a = { ...STEP_DEFAULTS, ...options };

const { tf, info } = await selectBackend(values.device);
const step = makeStep(tf, options);
const warmup = Number(values.warmup);
const times = [];
const losses = [];
for (let i = 0; i < Number(values.steps) + warmup; i++) {
  const start = performance.now();
  const loss = await step();
  const elapsed = performance.now() - start;
  if (i >= warmup) times.push(elapsed);
  losses.push(Math.round(loss * 1e4) / 1e4);
}
times.sort((x, y) => x - y);
const ms = times[Math.floor(times.length / 2)];
const native = info.nativeKernels;
console.log(
  JSON.stringify({
    impl: `stem-tfjs-${info.tfjsVersion}`,
    backend: `${info.device} (${info.backend})`,
    native: native?.active
      ? `on, ${native.threads} threads`
      : `off${native ? ` (${native.reason})` : ''}`,
    blas: native?.blas,
    cfg: `B${a.batch} T${a.seq} H${a.hidden} L${a.layers} heads${a.heads} F${a.ffn}`,
    params: step.parameterCount,
    stepMs: Math.round(ms * 10) / 10,
    tokensPerSec: Math.round(step.tokens / (ms / 1000)),
    loss: [losses[0], losses[losses.length - 1]],
    tensors: tf.memory().numTensors,
  }),
);
