import { beforeAll, expect, it } from 'vitest';
import { nativeNotBuilt, native, randomTensor, tf, wasmEngine } from './kernel-engine.js';

beforeAll(async () => {
  await wasmEngine();
});

it.skipIf(nativeNotBuilt(import.meta.url))(
  'a product whose output grows the wasm memory reads and writes the new buffer',
  () => {
    native();
    const heap = () =>
      (tf.backend() as unknown as { wasm: { HEAPU8: Uint8Array } }).wasm.HEAPU8.buffer;
    const before = heap();
    // An output larger than the whole current heap: its allocation must grow (and replace) the buffer.
    const n = Math.ceil(Math.sqrt(before.byteLength / 4)) + 64;
    const k = 3;
    const a = randomTensor([n, k], 1);
    const b = randomTensor([k, n], 2);
    const av = a.dataSync();
    const bv = b.dataSync();
    const c = tf.matMul(a, b);
    expect(heap()).not.toBe(before);
    expect(heap().byteLength).toBeGreaterThan(before.byteLength);
    const cv = c.dataSync();
    for (const [i, j] of [
      [0, 0],
      [n - 1, n - 1],
      [17, n - 5],
      [n - 3, 2],
    ] as const) {
      let sum = 0;
      for (let t = 0; t < k; t++) sum += (av[i * k + t] as number) * (bv[t * n + j] as number);
      expect(cv[i * n + j]).toBeCloseTo(sum, 5);
    }
    tf.dispose([a, b, c]);
  },
);

it.skipIf(nativeNotBuilt(import.meta.url))(
  'binary ops and transposes whose outputs grow the wasm memory read the new buffer',
  () => {
    native();
    const heap = () =>
      (tf.backend() as unknown as { wasm: { HEAPU8: Uint8Array } }).wasm.HEAPU8.buffer;
    const before = heap();
    // [n, 1] * [1, n] broadcasts to an output larger than the whole current heap.
    const n = Math.ceil(Math.sqrt(before.byteLength / 4)) + 64;
    const a = randomTensor([n, 1], 3);
    const b = randomTensor([1, n], 4);
    const av = a.dataSync();
    const bv = b.dataSync();
    const c = tf.mul(a, b);
    expect(heap()).not.toBe(before);
    const grown = heap();
    const t = tf.transpose(c);
    const cv = c.dataSync();
    const tv = t.dataSync();
    for (const [i, j] of [
      [0, 0],
      [n - 1, n - 1],
      [17, n - 5],
    ] as const) {
      expect(cv[i * n + j]).toBe(Math.fround((av[i] as number) * (bv[j] as number)));
      expect(tv[j * n + i]).toBe(cv[i * n + j]);
    }
    expect(heap().byteLength).toBeGreaterThanOrEqual(grown.byteLength);
    tf.dispose([a, b, c, t]);
  },
);
