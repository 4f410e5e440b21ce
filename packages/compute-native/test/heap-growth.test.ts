import { beforeAll, expect, it } from 'vitest';
import { nativeBuilt, native, randomTensor, tf, wasmEngine } from './wasm-engine.js';

beforeAll(async () => {
  await wasmEngine();
});

it.skipIf(!nativeBuilt)(
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
