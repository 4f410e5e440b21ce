// The one tfjs engine of a test file, on the wasm backend or tfjs-backend-cpu (`useBackend`),
// with a switch between that backend's plain kernels and the native ones (the same engine, so
// results compare tensor for tensor).
import { appendFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import * as tf from '@tensorflow/tfjs';
import '@tensorflow/tfjs-backend-wasm';
import {
  activateNativeKernels,
  deactivateNativeKernels,
  nativeAddonAvailable,
  type NativeBackendName,
  type NativeKernelStatus,
} from '../src/index.js';

export { tf };

/** The backends the native kernels serve; kernel tests run on each. */
export const BACKENDS: NativeBackendName[] = ['wasm', 'cpu'];

let current: NativeBackendName = 'wasm';

/**
 * Whether the install built the addon. Without OpenBLAS the kernel tests are skipped (the
 * fallback test still runs); CI sets STEM_REQUIRE_NATIVE=1 so a failed build fails instead.
 */
const availability = nativeAddonAvailable();
export const nativeBuilt = availability.available;
if (!nativeBuilt && process.env.STEM_REQUIRE_NATIVE === '1')
  throw new Error(`STEM_REQUIRE_NATIVE=1 but the addon is unavailable: ${availability.reason}`);

/**
 * For `skipIf`: true where the addon is not built, with the reason stated the way
 * `@stem/testing/requirements` states it (that package cannot be a dependency here: it
 * depends on core, which depends on this package). In CI, STEM_REQUIRE_NATIVE=1 fails above.
 */
export function nativeNotBuilt(testFile: string): boolean {
  if (nativeBuilt) return false;
  const file = fileURLToPath(testFile);
  const reason = `the addon is not built (${availability.reason ?? 'unknown reason'}): install OpenBLAS (apt-get install libopenblas-dev), then pnpm install`;
  appendFileSync(
    join(process.cwd(), '.vitest-skip-reasons.ndjson'),
    `${JSON.stringify({ file, reason, allowedInCI: null })}\n`,
  );
  process.stderr.write(`skipped in ${file}: ${reason}\n`);
  return true;
}

export async function wasmEngine(): Promise<typeof tf> {
  return useBackend('wasm');
}

/** Makes `backend` the engine's backend; `native()` / `plain()` then switch its kernels. */
export async function useBackend(backend: NativeBackendName): Promise<typeof tf> {
  // tfjs-backend-wasm has no UnsortedSegmentSum: stem's core adds a JS one; a copy of that
  // here gives the plain reference (registered before activation, as core does).
  if (backend === 'wasm' && !tf.getKernel('UnsortedSegmentSum', 'wasm')) registerPlainSegmentSum();
  if (tf.getBackend() !== backend) {
    if (!(await tf.setBackend(backend))) throw new Error(`${backend} backend did not initialise`);
  }
  current = backend;
  return tf;
}

export function currentBackend(): NativeBackendName {
  return current;
}

export function native(): NativeKernelStatus {
  return activateNativeKernels(tf, { backend: current });
}

export function plain(): void {
  deactivateNativeKernels(tf, current);
}

/** Runs `f` once with the plain kernels and once with the native ones; returns both results. */
export function bothWays(f: () => tf.Tensor): {
  plain: Float32Array;
  native: Float32Array;
  shape: number[];
} {
  plain();
  const p = tf.tidy(f);
  const status = native();
  if (!status.active) throw new Error(`native kernels unavailable: ${status.reason}`);
  const n = tf.tidy(f);
  const shapesMatch =
    p.shape.length === n.shape.length && p.shape.every((d, i) => d === n.shape[i]);
  if (!shapesMatch) throw new Error(`shape ${n.shape} differs from the plain kernel's ${p.shape}`);
  const result = {
    plain: p.dataSync() as Float32Array,
    native: n.dataSync() as Float32Array,
    shape: n.shape,
  };
  p.dispose();
  n.dispose();
  return result;
}

/** Indices where two tensors differ in any bit (NaN equal to NaN; lengths must match). */
export function bitDifferences(a: tf.Tensor, b: tf.Tensor): number[] {
  const x = a.dataSync();
  const y = b.dataSync();
  if (x.length !== y.length) throw new Error(`lengths differ: ${x.length} vs ${y.length}`);
  const differ: number[] = [];
  for (let i = 0; i < x.length; i++) if (!Object.is(x[i], y[i])) differ.push(i);
  return differ;
}

/** max |a - b| relative to max |b| (1 when b is all zeros): the norm-wise error. */
export function relativeError(a: ArrayLike<number>, b: ArrayLike<number>): number {
  if (a.length !== b.length) return Infinity;
  let diff = 0;
  let scale = 0;
  for (let i = 0; i < a.length; i++) {
    diff = Math.max(diff, Math.abs((a[i] as number) - (b[i] as number)));
    scale = Math.max(scale, Math.abs(b[i] as number));
  }
  if (Number.isNaN(diff)) return Infinity;
  return diff / Math.max(scale, 1e-30);
}

/** Deterministic pseudo-random values in [-1, 1) (a small LCG: tests need no seeded stream). */
export function values(count: number, seed: number): Float32Array {
  const out = new Float32Array(count);
  let state = (seed * 2654435761) >>> 0 || 1;
  for (let i = 0; i < count; i++) {
    state = (Math.imul(state, 1664525) + 1013904223) >>> 0;
    out[i] = state / 2 ** 31 - 1;
  }
  return out;
}

export function randomTensor(shape: number[], seed: number): tf.Tensor {
  return tf.tensor(
    values(
      shape.reduce((p, d) => p * d, 1),
      seed,
    ),
    shape,
  );
}

function registerPlainSegmentSum(): void {
  tf.registerKernel({
    kernelName: 'UnsortedSegmentSum',
    backendName: 'wasm',
    kernelFunc: ({ inputs, attrs, backend }) => {
      const { x, segmentIds } = inputs as { x: tf.TensorInfo; segmentIds: tf.TensorInfo };
      const numSegments = (attrs as unknown as { numSegments: number }).numSegments;
      const wasm = backend as unknown as {
        readSync(id: object): ArrayLike<number>;
        makeOutput(shape: number[], dtype: string): tf.TensorInfo;
        typedArrayFromHeap(info: tf.TensorInfo): Float32Array;
      };
      const values = wasm.readSync(x.dataId);
      const ids = wasm.readSync(segmentIds.dataId);
      const rowShape = x.shape.slice(segmentIds.shape.length);
      const rowSize = rowShape.reduce((p, d) => p * d, 1);
      const out = wasm.makeOutput([numSegments, ...rowShape], x.dtype);
      const target = wasm.typedArrayFromHeap(out);
      target.fill(0);
      for (let i = 0; i < ids.length; i++) {
        const s = ids[i] as number;
        if (s < 0 || s >= numSegments) continue;
        for (let j = 0; j < rowSize; j++)
          target[s * rowSize + j] =
            (target[s * rowSize + j] as number) + (values[i * rowSize + j] as number);
      }
      return out;
    },
  });
}
