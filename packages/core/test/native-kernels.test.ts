import { beforeAll, describe, expect, it } from 'vitest';
import type * as tfNamespace from '@tensorflow/tfjs';
import { selectBackend } from '../src/compute/select-backend.js';
import { disableNativeKernels, enableNativeKernels } from '../src/compute/native-kernels.js';
import type { BackendInfo } from '../src/compute/backend-name.js';

type Tf = typeof tfNamespace;
let tf: Tf;
let info: BackendInfo;
let addonBuilt = false;

beforeAll(async () => {
  ({ tf, info } = (await selectBackend('wasm')) as unknown as { tf: Tf; info: BackendInfo });
  const specifier = '@stem/compute-native';
  const native = (await import(specifier)) as { nativeAddonAvailable(): { available: boolean } };
  addonBuilt = native.nativeAddonAvailable().available;
  if (!addonBuilt && process.env.STEM_REQUIRE_NATIVE === '1')
    throw new Error('STEM_REQUIRE_NATIVE=1 but @stem/compute-native has no addon');
});

function values(shape: number[], seed: number): tfNamespace.Tensor {
  const count = shape.reduce((p, d) => p * d, 1);
  const out = new Float32Array(count);
  let state = seed * 7919 + 1;
  for (let i = 0; i < count; i++) {
    state = (state * 48271) % 2147483647;
    out[i] = state / 2147483647 - 0.5;
  }
  return tf.tensor(out, shape);
}

/** op(A) op(B) as broadcast multiply + sum: its gradient never touches BatchMatMul. */
function productWithoutMatMul(
  a: tfNamespace.Tensor,
  b: tfNamespace.Tensor,
  transposeA: boolean,
  transposeB: boolean,
): tfNamespace.Tensor {
  const swap = (x: tfNamespace.Tensor) => {
    const perm = [...Array(x.rank).keys()];
    perm[x.rank - 2] = x.rank - 1;
    perm[x.rank - 1] = x.rank - 2;
    return tf.transpose(x, perm);
  };
  const opA = transposeA ? swap(a) : a; // [..., m, k]
  const opB = transposeB ? swap(b) : b; // [..., k, n]
  return tf.sum(tf.mul(tf.expandDims(opA, -1), tf.expandDims(opB, -3)), -2);
}

function maxRelative(x: tfNamespace.Tensor, y: tfNamespace.Tensor): number {
  const a = x.dataSync();
  const b = y.dataSync();
  let diff = 0;
  let scale = 1e-30;
  for (let i = 0; i < a.length; i++) {
    diff = Math.max(diff, Math.abs((a[i] as number) - (b[i] as number)));
    scale = Math.max(scale, Math.abs(b[i] as number));
  }
  return diff / scale;
}

describe('wasm with @stem/compute-native', () => {
  it('reports the native kernels in BackendInfo (active exactly when the addon is built)', () => {
    expect(info.device).toBe('wasm');
    expect(info.nativeKernels?.active).toBe(addonBuilt);
    if (addonBuilt) {
      expect(info.nativeKernels?.kernels).toEqual(
        expect.arrayContaining(['BatchMatMul', '_FusedMatMul', 'UnsortedSegmentSum']),
      );
      expect(info.nativeKernels?.blas).toMatch(/OpenBLAS/);
    }
  });

  const cases: Array<[number[], number[]]> = [
    [
      [5, 7],
      [7, 3],
    ],
    [
      [2, 5, 7],
      [7, 3],
    ], // a shared weight: the folded product
    [
      [5, 7],
      [4, 7, 3],
    ], // a broadcast over b's batch: dA summed
    [
      [2, 1, 5, 7],
      [1, 3, 7, 3],
    ],
    [
      [6, 5, 7],
      [6, 7, 3],
    ],
  ];
  for (const [aBase, bBase] of cases) {
    for (const [tA, tB] of [
      [false, false],
      [true, false],
      [false, true],
      [true, true],
    ] as const) {
      it(`the BatchMatMul gradient equals one that avoids it: [${aBase}] x [${bBase}] tA=${tA} tB=${tB}`, () => {
        const swapLast = (s: number[]) => [
          ...s.slice(0, -2),
          s[s.length - 1] as number,
          s[s.length - 2] as number,
        ];
        const a = values(tA ? swapLast(aBase) : aBase, 1);
        const b = values(tB ? swapLast(bBase) : bBase, 2);
        const outShape = tf.tidy(() => productWithoutMatMul(a, b, tA, tB).shape);
        const weights = values(outShape, 3);
        const loss =
          (f: typeof productWithoutMatMul) => (x: tfNamespace.Tensor, y: tfNamespace.Tensor) =>
            tf.sum(tf.mul(f(x, y, tA, tB), weights));
        const [da, db] = tf.grads(loss((x, y, p, q) => tf.matMul(x, y, p, q)))([a, b]);
        const [ra, rb] = tf.grads(loss(productWithoutMatMul))([a, b]);
        expect(da?.shape).toEqual(a.shape);
        expect(db?.shape).toEqual(b.shape);
        expect(maxRelative(da as tfNamespace.Tensor, ra as tfNamespace.Tensor)).toBeLessThan(1e-5);
        expect(maxRelative(db as tfNamespace.Tensor, rb as tfNamespace.Tensor)).toBeLessThan(1e-5);
        tf.dispose([a, b, weights, da, db, ra, rb] as tfNamespace.Tensor[]);
      });
    }
  }

  it('a short training run gives the same loss curve with and without the native kernels', async () => {
    const train = () => {
      const w1 = tf.variable(values([12, 16], 4));
      const w2 = tf.variable(values([16, 5], 5));
      const bias = tf.variable(values([16], 6));
      const table = tf.variable(values([40, 12], 7));
      const ids = tf.tensor2d(
        Array.from({ length: 4 }, (_, r) =>
          Array.from({ length: 6 }, (_, c) => (r * 7 + c * 3) % 40),
        ),
        [4, 6],
        'int32',
      );
      const gold = tf.oneHot(
        tf.tensor1d(
          [0, 1, 2, 3, 4, 0, 1, 2, 3, 4, 0, 1, 2, 3, 4, 0, 1, 2, 3, 4, 0, 1, 2, 3],
          'int32',
        ),
        5,
      );
      const optimizer = tf.train.adam(0.01);
      const losses: number[] = [];
      for (let step = 0; step < 15; step++) {
        const loss = optimizer.minimize(() => {
          const x = tf.gather(table, ids); // [4, 6, 12]
          const hidden = tf.relu(tf.add(tf.matMul(x, w1), bias));
          const scores = tf.softmax(tf.matMul(hidden, hidden, false, true)); // [4, 6, 6]
          const mixed = tf.matMul(scores, hidden); // [4, 6, 16]
          const logits = tf.reshape(tf.matMul(mixed, w2), [24, 5]);
          return tf.losses.softmaxCrossEntropy(gold, logits);
        }, true) as tfNamespace.Scalar;
        losses.push(loss.dataSync()[0] as number);
        loss.dispose();
      }
      tf.dispose([w1, w2, bias, table, ids, gold]);
      optimizer.dispose();
      return losses;
    };
    const withNative = train();
    await disableNativeKernels('test');
    const plain = train();
    const again = await enableNativeKernels();
    expect(again.active).toBe(addonBuilt);
    expect(withNative[withNative.length - 1]).toBeLessThan(withNative[0] as number);
    for (let i = 0; i < plain.length; i++)
      expect(Math.abs((withNative[i] as number) - (plain[i] as number))).toBeLessThan(
        1e-4 * Math.max(1, plain[i] as number),
      );
  });
});
