#!/usr/bin/env node
// GFLOP/s of one float32 product C = A B (square, n x n) at each size:
//   --impl blas        OpenBLAS alone (the addon's sgemm on plain Float32Arrays, no tfjs)
//   --impl wasm        tf.matMul through stem's native kernel (tfjs dispatch + wasm heap)
//   --impl wasm-plain  tf.matMul on tfjs-backend-wasm (XNNPACK; --transposed: its slow loop)
// Prints one JSON line per size.
import { parseArgs } from 'node:util';
import { importBuilt } from '../repository.mjs';

const { values } = parseArgs({
  options: {
    impl: { type: 'string', default: 'wasm' },
    sizes: { type: 'string', default: '256,512,1024,4096' },
    transposed: { type: 'boolean', default: false },
    'min-seconds': { type: 'string', default: '0.5' },
  },
});
const sizes = values.sizes.split(',').map(Number);
const minMs = Number(values['min-seconds']) * 1000;

function measure(run, n) {
  run(); // warm-up
  let reps = 0;
  const start = performance.now();
  do {
    run();
    reps++;
  } while (performance.now() - start < minMs);
  const ms = (performance.now() - start) / reps;
  return {
    n,
    reps,
    ms: Math.round(ms * 100) / 100,
    gflops: Math.round(((2 * n ** 3) / ms / 1e6) * 10) / 10,
  };
}

const transposed = values.transposed;
if (values.impl === 'blas') {
  const { loadAddon } = await importBuilt('packages/compute-native/dist/load-addon.js');
  const { addon, reason } = loadAddon();
  if (!addon) throw new Error(`addon unavailable: ${reason}`);
  const { availableParallelism } = await import('node:os');
  addon.setThreads(Number(process.env.STEM_THREADS) || availableParallelism());
  for (const n of sizes) {
    const operand = () => new Float32Array(n * n).map((_, i) => ((i * 7919) % 1000) / 1000 - 0.5);
    const [left, right, product] = [operand(), operand(), new Float32Array(n * n)];
    // One product; each operand in its own array at offset 0 (the addon's per-operand memory).
    const plan = new Int32Array([n, n, n, 0, transposed ? 1 : 0, 1, 0, 0, 0]);
    console.log(
      JSON.stringify({
        impl: `openblas (${addon.threads()} threads)`,
        ...measure(() => addon.gemmBatch(left, right, product, plan), n),
      }),
    );
  }
} else {
  const { selectBackend } = await importBuilt('packages/core/dist/index.js');
  const { tf, info } = await selectBackend(values.impl);
  const label = info.nativeKernels?.active
    ? `stem native (${info.nativeKernels.threads} threads)`
    : 'stem plain wasm';
  for (const n of sizes) {
    const a = tf.randomNormal([n, n]);
    const b = tf.randomNormal([n, n]);
    const result = measure(() => tf.matMul(a, b, false, transposed).dispose(), n);
    console.log(
      JSON.stringify({ impl: `${label}${transposed ? ' (B transposed)' : ''}`, ...result }),
    );
    tf.dispose([a, b]);
  }
}
