import { expect, it } from 'vitest';
import { BACKENDS, nativeNotBuilt, native, randomTensor, tf, useBackend } from './kernel-engine.js';

it.skipIf(nativeNotBuilt(import.meta.url)).each(BACKENDS)(
  '10k calls of every native kernel on %s leave tensor count, data buffers, wasm heap and RSS flat',
  async (backend) => {
    await useBackend(backend);
    const status = native();
    expect(status.active).toBe(true);
    const a = randomTensor([4, 16, 24], 1);
    const b = randomTensor([4, 24, 8], 2);
    const bias = randomTensor([8], 3);
    const table = randomTensor([30, 8], 4);
    const ids = tf.tensor1d([1, 5, 29, 5], 'int32');
    const round = () =>
      tf.tidy(() => {
        const product = tf.matMul(a, b, false, false);
        const fused = tf.fused.matMul({ a, b, bias, activation: 'relu' });
        const probabilities = tf.softmax(tf.add(product, fused));
        const summed = tf.sum(tf.exp(tf.erf(probabilities)), 0);
        const gathered = tf.gather(table, ids);
        const scattered = tf.unsortedSegmentSum(tf.clone(gathered), ids, 30);
        const elementWise = tf.sqrt(
          tf.square(tf.div(tf.sub(tf.mul(product, bias), fused), tf.add(tf.abs(fused), 1))),
        );
        const moved = tf.transpose(tf.add(elementWise, tf.cast(ids, 'float32').sum()), [2, 0, 1]);
        return tf.add(
          tf.add(tf.sum(summed), tf.sum(scattered)),
          tf.sum(tf.neg(tf.mean(moved, -1, true))),
        );
      });
    // The wasm heap only grows; the cpu backend has none (its buffers are counted instead).
    const heapBytes = () =>
      backend === 'wasm'
        ? (tf.backend() as unknown as { wasm: { HEAPU8: Uint8Array } }).wasm.HEAPU8.buffer
            .byteLength
        : 0;
    for (let i = 0; i < 200; i++) round().dispose();
    const tensors = tf.memory().numTensors;
    const buffers = tf.memory().numDataBuffers;
    const heap = heapBytes();
    const rss = process.memoryUsage().rss;
    for (let i = 0; i < 10_000; i++) round().dispose();
    expect(tf.memory().numTensors).toBe(tensors);
    expect(tf.memory().numDataBuffers).toBe(buffers);
    expect(heapBytes()).toBe(heap);
    // Generous bound: a leak of one output per call would be > 100 MB here.
    expect(process.memoryUsage().rss - rss).toBeLessThan(40 * 1024 * 1024);
    tf.dispose([a, b, bias, table, ids]);
  },
  240_000,
);
