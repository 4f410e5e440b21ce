import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { activateWithAddon, deactivateNativeKernels, type NativeAddon } from '../src/index.js';
import { loadAddon } from '../src/load-addon.js';
import { nativeNotBuilt, randomTensor, tf, useBackend } from './kernel-engine.js';

/**
 * The kernel comparisons would also pass if every call on the cpu backend fell back to the
 * original kernel; here the addon is wrapped to count its calls, so each kernel family must
 * reach it with the cpu backend's typed arrays.
 */
describe.skipIf(nativeNotBuilt(import.meta.url))('native kernels on tfjs-backend-cpu', () => {
  const calls = new Map<string, number>();
  const operandKinds = new Set<string>();

  beforeAll(async () => {
    await useBackend('cpu');
    deactivateNativeKernels(tf, 'cpu');
    const load = loadAddon();
    if (!load.addon) throw new Error(load.reason);
    const real = load.addon;
    // The addon's exports are read-only, non-enumerable properties: wrap them into a plain object.
    const functions = real as unknown as Record<string, (...args: unknown[]) => unknown>;
    const counting = Object.fromEntries(
      Object.getOwnPropertyNames(functions)
        .map((name) => [name, functions[name]] as const)
        .map(([name, f]) => [
          name,
          (...args: unknown[]) => {
            calls.set(name, (calls.get(name) ?? 0) + 1);
            // Operands are typed arrays; a trailing Int32Array is a plan, not an operand.
            for (const arg of args.slice(0, args.at(-1) instanceof Int32Array ? -1 : undefined))
              if (ArrayBuffer.isView(arg)) operandKinds.add(arg.constructor.name);
            return f!.apply(real, args);
          },
        ]),
    ) as unknown as NativeAddon;
    const status = activateWithAddon(tf, { addon: counting }, { backend: 'cpu' });
    expect(status.active).toBe(true);
    expect(status.kernels).toEqual(
      expect.arrayContaining(['BatchMatMul', '_FusedMatMul', 'Softmax', 'Transpose', 'Cast']),
    );
  });

  afterAll(() => deactivateNativeKernels(tf, 'cpu'));

  it('every kernel family runs on the addon', () => {
    tf.tidy(() => {
      const a = randomTensor([2, 5, 6], 1);
      const b = randomTensor([2, 6, 3], 2);
      const ids = tf.tensor1d([0, 4, 4], 'int32');
      const product = tf.matMul(a, b, false, false);
      tf.fused.matMul({ a, b, bias: randomTensor([3], 3), activation: 'relu' });
      tf.softmax(product);
      tf.sum(product, -1);
      tf.mean(product, 0);
      tf.gather(randomTensor([5, 4], 4), ids);
      tf.unsortedSegmentSum(randomTensor([3, 4], 5), ids, 5);
      tf.add(product, randomTensor([3], 6));
      tf.exp(product);
      tf.transpose(product, [2, 0, 1]);
      tf.cast(ids, 'float32');
      tf.cast(tf.greater(product, 0), 'float32');
    });
    for (const name of [
      'gemmBatch',
      'biasActivation',
      'softmax',
      'sumMiddle',
      'gatherRows',
      'segmentSum',
      'binary',
      'unary',
      'stridedCopy',
      'toFloat',
    ])
      expect(calls.get(name) ?? 0, name).toBeGreaterThan(0);
    // Each tensor's own array: float32 values, int32 ids and bool masks, never a shared heap.
    expect([...operandKinds].sort()).toEqual(['Float32Array', 'Int32Array', 'Uint8Array']);
  });

  it('an output is its own typed array, not a view into a shared heap', () => {
    // 64 MiB, fully written by the addon (the output is taken without a zero-fill).
    const x = tf.ones([4096, 4096]);
    const y = tf.mul(x, 2);
    const values = (
      tf.backend() as unknown as { data: { get(id: object): { values: unknown } } }
    ).data.get(y.dataId).values as Float32Array;
    expect(values).toBeInstanceOf(Float32Array);
    expect(values.buffer.byteLength).toBe(4096 * 4096 * 4);
    expect(values.every((v) => v === 2)).toBe(true);
    tf.dispose([x, y]);
  });
});
