#!/usr/bin/env node
// Where a training step's time goes: bench-encoder-step's step, split by part of the step
// (forward, gradient tape, optimiser, loss read-back) and, inside each part, into kernels,
// copies between JavaScript and the backend, and the rest (tfjs's engine and our JavaScript).
// Then the kernels by name. The README's "profile-step.mjs" section says how each is measured.
//
//   node tools/bench/encoder-step/profile-step.mjs [--device wasm|wasm-plain|...] [--layers 4 ...]
import { PerformanceObserver } from 'node:perf_hooks';
import { parseArgs } from 'node:util';
import { importBuilt } from '../repository.mjs';
import { formatMs, markdownTable } from './bench-stats.mjs';
import { makeStep, STEP_DEFAULTS } from './training-step.mjs';
const { selectBackend } = await importBuilt('packages/core/dist/index.js');

const { values } = parseArgs({
  options: {
    device: { type: 'string', default: 'wasm' },
    optimizer: { type: 'string', default: 'adamw' },
    layers: { type: 'string', default: '2' },
    heads: { type: 'string', default: '4' },
    hidden: { type: 'string', default: '128' },
    ffn: { type: 'string', default: '512' },
    vocab: { type: 'string', default: String(STEP_DEFAULTS.vocab) },
    batch: { type: 'string', default: '16' },
    seq: { type: 'string', default: '32' },
    steps: { type: 'string', default: '5' },
    top: { type: 'string', default: '20' },
    // off: without compute-native's fused kernels (AdamW, GELU), to measure what they save.
    fused: { type: 'string', default: 'on' },
  },
});

/** Kernels that only move or re-type data: counted as kernels, and subtotalled as copies. */
const MOVEMENT_KERNELS = new Set([
  'Reshape',
  'Identity',
  'Transpose',
  'Slice',
  'Concat',
  'Pack',
  'Unpack',
  'Cast',
  'Tile',
  'BroadcastTo',
  'ExpandDims',
  'Squeeze',
]);
const PHASES = ['forward', 'backward', 'optimizer', 'readback', 'dispose'];

const { tf, info } = await selectBackend(values.device);
const backendName = tf.getBackend();
/** Kernels compute-native adds (not replacements): core falls back to composites without them. */
const FUSED_KERNELS = ['StemAdamW', 'StemGelu', 'StemGeluGrad'];
if (values.fused === 'off')
  for (const name of FUSED_KERNELS)
    if (tf.getKernel(name, backendName)) tf.unregisterKernel(name, backendName);
const fusedKernels = FUSED_KERNELS.filter((name) => tf.getKernel(name, backendName));
const steps = Number(values.steps);

/**
 * Times nest: a phase holds kernels and copies, a kernel may (rarely) run another kernel
 * through the registry. Every timer charges its own time, less its children's, to its entry,
 * so each millisecond is counted once (exclusive times).
 */
class StepProfiler {
  enabled = false;
  /** @type {{ key: string, phase: string, start: number, children: number }[]} */
  stack = [];
  /** exclusive ms by "kind/phase/name" */
  totals = new Map();
  calls = new Map();

  currentPhase() {
    for (let i = this.stack.length - 1; i >= 0; i--)
      if (this.stack[i].key === 'phase') return this.stack[i].phase;
    return 'outside';
  }

  timed(kind, name, work, phase = this.currentPhase()) {
    if (!this.enabled) return work();
    const frame = { key: kind, phase, start: performance.now(), children: 0 };
    this.stack.push(frame);
    const finish = () => {
      this.stack.splice(this.stack.lastIndexOf(frame), 1);
      const elapsed = performance.now() - frame.start;
      const parent = this.stack[this.stack.length - 1];
      if (parent) parent.children += elapsed;
      const key = `${kind}/${phase}/${name}`;
      this.totals.set(key, (this.totals.get(key) ?? 0) + elapsed - frame.children);
      this.calls.set(key, (this.calls.get(key) ?? 0) + 1);
    };
    let result;
    try {
      result = work();
    } catch (error) {
      finish();
      throw error;
    }
    // The read-back is the one asynchronous part: its time runs until the data arrives.
    if (result instanceof Promise) return result.finally(finish);
    finish();
    return result;
  }

  phase(name, work) {
    return this.timed('phase', name, work, name);
  }

  /** Sum of exclusive ms over keys matching kind (and phase, and name when given). */
  sum(kind, phase, name) {
    let total = 0;
    for (const [key, ms] of this.totals) {
      const [k, p, n] = key.split('/');
      if (k === kind && (phase === undefined || p === phase) && (name === undefined || n === name))
        total += ms;
    }
    return total;
  }
}
const profiler = new StepProfiler();
const step = makeStep(
  tf,
  {
    optimizer: values.optimizer,
    ...Object.fromEntries(
      ['layers', 'heads', 'hidden', 'ffn', 'vocab', 'batch', 'seq'].map((k) => [
        k,
        Number(values[k]),
      ]),
    ),
  },
  (name, work) => profiler.phase(name, work),
);

// Every kernel of the running backend, wrapped with a timer (after selectBackend, so the
// native kernels it registered are the ones wrapped).
for (const config of tf.getKernelsForBackend(backendName)) {
  const original = config.kernelFunc;
  tf.unregisterKernel(config.kernelName, backendName);
  tf.registerKernel({
    ...config,
    kernelFunc: (args) => profiler.timed('kernel', config.kernelName, () => original(args)),
  });
}
// Copies between JavaScript arrays and the backend's memory (tensor creation, data(), dataSync()).
const backend = tf.backend();
for (const method of ['write', 'read', 'readSync', 'move']) {
  const original = backend[method];
  if (typeof original !== 'function') continue;
  backend[method] = function (...args) {
    return profiler.timed('copy', method, () => original.apply(this, args));
  };
}
// Garbage collection pauses, reported beside the parts they interrupt.
const gcPauses = [];
const gcObserver = new PerformanceObserver((list) => gcPauses.push(...list.getEntries()));
gcObserver.observe({ entryTypes: ['gc'] });

// Uninstrumented steps first (the wrappers cost a little), then the profiled ones.
await step();
let start = performance.now();
for (let i = 0; i < steps; i++) await step();
const plainWall = (performance.now() - start) / steps;
profiler.enabled = true;
start = performance.now();
for (let i = 0; i < steps; i++) await step();
const end = performance.now();
const wall = (end - start) / steps;
profiler.enabled = false;
// The observer hears of pauses asynchronously: let it catch up before counting the window's.
await new Promise((resolve) => setTimeout(resolve, 100));
gcObserver.disconnect();
const gcMs = gcPauses
  .filter((entry) => entry.startTime >= start && entry.startTime < end)
  .reduce((sum, entry) => sum + entry.duration, 0);

const perStep = (ms) => ms / steps;
const cell = (ms) => formatMs(perStep(ms));
const share = (ms) => `${((100 * perStep(ms)) / wall).toFixed(1)}%`;
console.log(
  `${values.device}: backend ${info.device} (${backendName}), native kernels ${info.nativeKernels?.active ? 'on' : 'off'}, ` +
    `fused kernels ${fusedKernels.length > 0 ? fusedKernels.join(', ') : 'off'}, ` +
    `optimizer ${step.optimizer}, B${values.batch} T${values.seq} H${values.hidden} L${values.layers}`,
);
console.log(
  `${formatMs(plainWall)} ms/step without the timers, ${formatMs(wall)} ms/step with them; ` +
    `${formatMs(perStep(gcMs))} ms/step of garbage collection pauses (inside the parts below)\n`,
);

const partRows = [];
for (const phase of [...PHASES, 'outside']) {
  const kernels = profiler.sum('kernel', phase);
  const movement = [...MOVEMENT_KERNELS].reduce((s, n) => s + profiler.sum('kernel', phase, n), 0);
  const copies = profiler.sum('copy', phase);
  const rest = phase === 'outside' ? 0 : profiler.sum('phase', phase);
  const total = kernels + copies + rest;
  if (total === 0) continue;
  partRows.push([
    phase === 'backward' ? 'backward (gradient tape)' : phase,
    cell(total),
    share(total),
    cell(kernels),
    cell(movement),
    cell(copies),
    cell(rest),
  ]);
}
const accounted = profiler.sum('kernel') + profiler.sum('copy') + profiler.sum('phase');
partRows.push(['between parts (step loop)', cell(wall * steps - accounted), '', '', '', '', '']);
console.log(
  markdownTable(
    [
      'part',
      '>ms/step',
      '>share',
      '>kernels ms',
      '>of which data movement',
      '>copies JS<->backend ms',
      '>engine + JS ms',
    ],
    partRows,
  ),
);

const byKernel = new Map();
for (const [key, ms] of profiler.totals) {
  const [kind, phase, name] = key.split('/');
  if (kind !== 'kernel') continue;
  const entry = byKernel.get(name) ?? { ms: 0, calls: 0, phases: {} };
  entry.ms += ms;
  entry.calls += profiler.calls.get(key) ?? 0;
  entry.phases[phase] = (entry.phases[phase] ?? 0) + ms;
  byKernel.set(name, entry);
}
const kernelTotal = profiler.sum('kernel');
const kernelRows = [...byKernel]
  .sort((x, y) => y[1].ms - x[1].ms)
  .slice(0, Number(values.top))
  .map(([name, e]) => [
    MOVEMENT_KERNELS.has(name) ? `${name} (movement)` : name,
    cell(e.ms),
    `${((100 * e.ms) / kernelTotal).toFixed(1)}%`,
    String(e.calls / steps),
    cell(e.phases.forward ?? 0),
    cell(e.phases.backward ?? 0),
    cell(e.phases.optimizer ?? 0),
  ]);
console.log(
  `\nkernels: ${cell(kernelTotal)} ms/step in ${byKernel.size} kernels (top ${kernelRows.length})`,
);
console.log(
  markdownTable(
    [
      'kernel',
      '>ms/step',
      '>of kernels',
      '>calls/step',
      '>forward ms',
      '>backward ms',
      '>optimizer ms',
    ],
    kernelRows,
  ),
);
